package dev.twophase.coordinator.transaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Commits and aborts per second over the last minutes, for the dashboard: a ring of one-second buckets, each
 * stamped with its second so that a bucket left from an earlier lap of the ring counts as empty. Live figures of
 * this process only (they start at zero after a restart); the log holds the history.
 */
public final class OutcomeRates {

    /** Commits and aborts counted over {@code seconds}. */
    public record Rate(long commits, long aborts, int seconds) {
        public double commitsPerSecond() {
            return seconds == 0 ? 0 : (double) commits / seconds;
        }

        /** Aborts as a share of all outcomes, 0 when there were none. */
        public double abortShare() {
            long all = commits + aborts;
            return all == 0 ? 0 : (double) aborts / all;
        }
    }

    private final int capacity;
    private final long[] stamps;
    private final long[] commits;
    private final long[] aborts;

    /** Keeps the last {@code seconds} seconds. */
    public OutcomeRates(int seconds) {
        this.capacity = seconds;
        this.stamps = new long[seconds];
        this.commits = new long[seconds];
        this.aborts = new long[seconds];
        Arrays.fill(stamps, Long.MIN_VALUE);
    }

    public synchronized void record(boolean committed, long epochSecond) {
        int slot = slot(epochSecond);
        if (stamps[slot] != epochSecond) {
            stamps[slot] = epochSecond;
            commits[slot] = 0;
            aborts[slot] = 0;
        }
        if (committed) {
            commits[slot]++;
        } else {
            aborts[slot]++;
        }
    }

    /** The outcomes of the {@code seconds} whole seconds before {@code nowEpochSecond} (the current one is partial). */
    public synchronized Rate over(int seconds, long nowEpochSecond) {
        return sum(nowEpochSecond - Math.min(seconds, capacity), nowEpochSecond);
    }

    /** One rate per whole minute, oldest first, for the last {@code minutes} minutes before {@code nowEpochSecond}. */
    public synchronized List<Rate> perMinute(int minutes, long nowEpochSecond) {
        int count = Math.min(minutes, capacity / 60);
        List<Rate> rates = new ArrayList<>(count);
        for (int m = count; m > 0; m--) {
            long from = nowEpochSecond - m * 60L;
            rates.add(sum(from, from + 60));
        }
        return rates;
    }

    /** Outcomes in the seconds [from, to). */
    private Rate sum(long from, long to) {
        long c = 0;
        long a = 0;
        for (long second = from; second < to; second++) {
            int slot = slot(second);
            if (stamps[slot] == second) {
                c += commits[slot];
                a += aborts[slot];
            }
        }
        return new Rate(c, a, (int) (to - from));
    }

    private int slot(long epochSecond) {
        return (int) Math.floorMod(epochSecond, (long) capacity);
    }
}
