package dev.twophase.system.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stop-the-world GC pauses of every JVM in the benchmark, read from their {@code -Xlog:gc:file=<dir>/<name>.gc.log:time}
 * files, so that each of the slowest moments can be printed with the pauses that overlapped it.
 */
record GcPauses(List<Pause> pauses) {

    /** One pause of {@code jvm}, ending at {@code end}. */
    record Pause(String jvm, Instant end, double millis, String kind) {
        Instant start() {
            return end.minusNanos((long) (millis * 1e6));
        }
    }

    /** The JVM flag that has a JVM write its pauses where {@link #read} finds them, as {@code <jvm>.gc.log}. */
    static String logFlag(Path dir, String jvm) {
        return "-Xlog:gc:file=" + dir.resolve(jvm + ".gc.log") + ":time";
    }

    // [2026-12-03T00:55:59.091+0000] GC(68) Pause Young (Normal) (G1 Evacuation Pause) 355M->57M(512M) 25.104ms
    private static final Pattern PAUSE =
            Pattern.compile("^\\[([^\\]]+)\\] GC\\(\\d+\\) (Pause [A-Za-z ]+?)(?: \\(.*\\))? \\S+->\\S+ ([0-9.]+)ms$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    static GcPauses read(Path dir) {
        List<Pause> pauses = new ArrayList<>();
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log :
                    logs.filter(file -> file.toString().endsWith(".gc.log")).toList()) {
                String jvm = log.getFileName().toString().replace(".gc.log", "");
                for (String line : Files.readAllLines(log)) {
                    Matcher pause = PAUSE.matcher(line);
                    if (pause.matches()) {
                        pauses.add(new Pause(
                                jvm,
                                OffsetDateTime.parse(pause.group(1), TIME).toInstant(),
                                Double.parseDouble(pause.group(3)),
                                pause.group(2)));
                    }
                }
            }
        } catch (IOException e) {
            // No logs (another JVM flag set): the slowest moments are printed without pauses.
        }
        return new GcPauses(pauses);
    }

    /** The pauses that overlapped {@code from} to {@code to}, as "jvm 25 ms" each. */
    String during(Instant from, Instant to) {
        return String.join(
                ", ",
                pauses.stream()
                        .filter(pause ->
                                pause.end().isAfter(from) && pause.start().isBefore(to))
                        .map(pause -> String.format(Locale.ROOT, "%s %.0f ms", pause.jvm(), pause.millis()))
                        .toList());
    }
}
