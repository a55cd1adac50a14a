package dev.twophase.system.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The fault injector of the chaos tests: faults the processes in rounds, each round every process once in a new random
 * order (so every process is hit), 0.5 to 2.5 s apart, until shortly before {@code end}.
 */
public final class Nemesis {

    private Nemesis() {}

    /** Applies {@code fault} to one process after another until {@code end}; returns how many faults it made. */
    public static int run(List<ServiceProcess> processes, Random random, Instant end, Consumer<ServiceProcess> fault) {
        return run(processes, random, end, false, fault);
    }

    /**
     * The same, but past {@code end} too until every process has been hit at least once (a fault that waits for its
     * victim to come back, on a slow day, may take longer than a round's share of the time).
     */
    public static int runAtLeastOneRound(
            List<ServiceProcess> processes, Random random, Instant end, Consumer<ServiceProcess> fault) {
        return run(processes, random, end, true, fault);
    }

    private static int run(
            List<ServiceProcess> processes,
            Random random,
            Instant end,
            boolean wholeRound,
            Consumer<ServiceProcess> fault) {
        List<ServiceProcess> round = new ArrayList<>();
        int faults = 0;
        while (Instant.now().plusSeconds(2).isBefore(end) || (wholeRound && faults < processes.size())) {
            if (round.isEmpty()) {
                round.addAll(processes);
                Collections.shuffle(round, random);
            }
            ServiceProcess victim = round.remove(0);
            // When the next fault comes is part of the random workload, not a wait for anything to happen.
            RandomTransfers.pause(Duration.ofMillis(500 + random.nextInt(2000)));
            fault.accept(victim);
            faults++;
        }
        return faults;
    }
}
