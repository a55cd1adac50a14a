package dev.twophase.coordinator.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TransferIdsTest {

    @Test
    void idsAreVersion7UuidsThatSortByTimeOfCreation() throws InterruptedException {
        String first = TransferIds.next();
        Thread.sleep(2);
        String second = TransferIds.next();

        UUID uuid = UUID.fromString(first);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(first).isLessThan(second);
        assertThat(uuid.getMostSignificantBits() >>> 16)
                .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    }

    @Test
    void idsMadeInTheSameMillisecondAreStillUnique() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(TransferIds.next());
        }
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
    }

    @Test
    void theLowestIdOfAMomentBoundsEveryIdMadeBeforeIt() {
        String before = TransferIds.next();
        Instant cut = Instant.now().plusMillis(2);
        String bound = TransferIds.lowestAt(cut);

        assertThat(before).isLessThan(bound);
        assertThat(TransferIds.begunAt(before))
                .hasValueSatisfying(at -> assertThat(at).isBefore(cut));
        assertThat(bound).isLessThan(TransferIds.lowestAt(cut.plusMillis(1)));
    }

    @Test
    void anIdThatIsNotATransferIdHasNoTime() {
        assertThat(TransferIds.begunAt("tx-1")).isEmpty();
        assertThat(TransferIds.begunAt(UUID.randomUUID().toString())).isEmpty();
        assertThat(TransferIds.begunAt(TransferIds.next().toUpperCase())).isEmpty();
    }
}
