package dev.twophase.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import org.junit.jupiter.api.Test;

class OutcomeRatesTest {

    private static final long T0 = 1_800_000_000L;

    @Test
    void countsCommitsAndAbortsOfTheWholeSecondsInTheWindow() {
        OutcomeRates rates = new OutcomeRates(900);
        rates.record(true, T0 - 61); // outside the last minute
        rates.record(true, T0 - 60);
        rates.record(true, T0 - 1);
        rates.record(false, T0 - 1);
        rates.record(true, T0); // the current, partial second is not counted yet

        OutcomeRates.Rate lastMinute = rates.over(60, T0);

        assertThat(lastMinute.commits()).isEqualTo(2);
        assertThat(lastMinute.aborts()).isEqualTo(1);
        assertThat(lastMinute.commitsPerSecond()).isEqualTo(2.0 / 60);
        assertThat(lastMinute.abortShare()).isEqualTo(1.0 / 3);
        assertThat(rates.over(300, T0).commits()).isEqualTo(3);
    }

    @Test
    void aBucketLeftFromAnEarlierLapOfTheRingCountsAsEmpty() {
        OutcomeRates rates = new OutcomeRates(60);
        rates.record(true, T0);

        // 60 s later the same slot holds a different second: the old count must not show.
        assertThat(rates.over(60, T0 + 61).commits()).isZero();
        rates.record(false, T0 + 60);
        assertThat(rates.over(60, T0 + 61).commits()).isZero();
        assertThat(rates.over(60, T0 + 61).aborts()).isEqualTo(1);
    }

    @Test
    void givesOneRatePerWholeMinuteOldestFirst() {
        OutcomeRates rates = new OutcomeRates(900);
        rates.record(true, T0 - 150); // three minutes ago
        rates.record(false, T0 - 30); // the last minute

        assertThat(rates.perMinute(3, T0))
                .extracting(OutcomeRates.Rate::commits, OutcomeRates.Rate::aborts)
                .containsExactly(tuple(1L, 0L), tuple(0L, 0L), tuple(0L, 1L));
        assertThat(new OutcomeRates(900).over(60, T0).abortShare()).isZero();
    }
}
