package dev.twophase.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CrashPointsTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void disarmedPointsDoNothing() {
        CrashPoints points = new CrashPoints("", CrashPoints.Action.HALT, out);

        points.reach("coordinator.after-decision-logged", "tx-1");

        assertThat(points.isArmed()).isFalse();
        assertThat(output.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anArmedPointIgnoresOtherPoints() {
        CrashPoints points = new CrashPoints("bank.after-prepare-logged", CrashPoints.Action.HALT, out);

        points.reach("bank.before-prepare", "tx-1");

        assertThat(output.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anArmedHangPointAnnouncesItselfAndFreezesTheThreadThatReachedIt() {
        CrashPoints points = new CrashPoints("bank.after-prepare-logged", CrashPoints.Action.HANG, out);
        Thread worker = new Thread(() -> {
            points.reach("bank.after-prepare-logged", "tx-7");
            throw new AssertionError("ran past a crash point");
        });
        worker.setDaemon(true);
        worker.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> output.toString(StandardCharsets.UTF_8)
                .contains("CRASH-POINT bank.after-prepare-logged tx=tx-7"));
        worker.interrupt();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(worker::isAlive);
    }
}
