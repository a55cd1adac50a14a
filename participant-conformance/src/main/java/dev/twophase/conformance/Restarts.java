package dev.twophase.conformance;

import java.time.Duration;
import java.time.Instant;

/**
 * Kills the participant and starts it again, for the durability rules: two actions the bank's team supplies (shell
 * commands on the command line, anything from Java), then waits until the participant answers again.
 */
public final class Restarts {

    private final Runnable kill;
    private final Runnable start;
    private final Duration startWait;

    public Restarts(Runnable kill, Runnable start, Duration startWait) {
        this.kill = kill;
        this.start = start;
        this.startWait = startWait;
    }

    /** Runs a shell command to its end; a non-zero exit is the bank's command failing, not a broken rule. */
    public static Runnable shell(String command) {
        return () -> {
            try {
                Process process =
                        new ProcessBuilder("sh", "-c", command).inheritIO().start();
                int exit = process.waitFor();
                if (exit != 0) {
                    throw new IllegalStateException("'" + command + "' exited with " + exit);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot run '" + command + "'", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        };
    }

    /** Kills the participant, starts it, and returns once it answers (the start may return before it does). */
    public void killAndStart(Participant participant) throws InterruptedException {
        kill.run();
        start.run();
        Instant deadline = Instant.now().plus(startWait);
        while (!participant.answers()) {
            if (Instant.now().isAfter(deadline)) {
                throw new RuleBroken(
                        "the participant did not answer within " + startWait.toSeconds() + " s of being started again");
            }
            Thread.sleep(100); // polling a process we do not control; no signal to wait on
        }
    }
}
