package dev.twophase.system.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcPausesTest {

    @Test
    void readsEachJvmsPausesAndNamesThoseThatOverlapAMoment(@TempDir Path dir) throws Exception {
        Files.write(
                dir.resolve("bank-a.gc.log"),
                List.of(
                        "[2026-12-03T00:55:58.050+0000] Using G1",
                        "[2026-12-03T00:55:59.091+0000] GC(68) Pause Young (Normal) (G1 Evacuation Pause)"
                                + " 355M->57M(512M) 25.104ms",
                        "[2026-12-03T00:56:09.000+0000] GC(69) Pause Remark 300M->300M(512M) 2.000ms"));
        Files.write(
                dir.resolve("coordinator.gc.log"),
                List.of("[2026-12-03T00:55:59.300+0000] GC(7) Pause Young (Normal) (G1 Evacuation Pause)"
                        + " 373M->77M(512M) 10.115ms"));

        GcPauses gc = GcPauses.read(dir);

        assertThat(gc.pauses()).hasSize(3);
        // bank-a's pause ran from 59.066 to 59.091; the coordinator's from 59.290 to 59.300.
        assertThat(gc.during(Instant.parse("2026-12-03T00:55:59.000Z"), Instant.parse("2026-12-03T00:55:59.070Z")))
                .isEqualTo("bank-a 25 ms");
        assertThat(gc.during(Instant.parse("2026-12-03T00:55:59.000Z"), Instant.parse("2026-12-03T00:55:59.400Z")))
                .contains("bank-a 25 ms", "coordinator 10 ms");
        assertThat(gc.during(Instant.parse("2026-12-03T00:55:59.100Z"), Instant.parse("2026-12-03T00:55:59.200Z")))
                .isEmpty();
    }
}
