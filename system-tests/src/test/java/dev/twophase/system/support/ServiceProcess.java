package dev.twophase.system.support;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One service as a real JVM started from its built jar ({@code java -jar}), with its own data directory.
 * {@link #kill9()} sends SIGKILL; {@link #start} with the same data directory is a restart.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    /**
     * Quicker start-up on a 2-core machine; none of these weakens what the tests check. A benchmark replaces them
     * through the system property {@code twophase.jvm-flags} (space-separated; {@code {name}} stands for the
     * service's name, e.g. in a log file's path).
     */
    private static final List<String> TEST_JVM_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms64m", "-Xmx256m");

    private final String name;
    private final Path jar;
    private final int port;
    private final Path dataDir;
    private final List<String> baseArgs;
    private final Set<String> crashPointsReached = ConcurrentHashMap.newKeySet();
    private Process process;
    private int generation;
    private List<String> extraArgs = List.of();
    /** When the process started last was spawned, and how long it then took to report UP (null until it has). */
    private long spawnedAtNanos;

    private volatile Duration startToUp;

    public ServiceProcess(String name, Path jar, int port, Path dataDir, List<String> baseArgs) {
        this.name = name;
        this.jar = jar;
        this.port = port;
        this.dataDir = dataDir;
        this.baseArgs = List.copyOf(baseArgs);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    /** The process's {@code twophase.data-dir}. */
    public Path dataDir() {
        return dataDir;
    }

    public URI url() {
        return URI.create("http://localhost:" + port);
    }

    /** Starts the process with the base arguments plus {@code extraArgs}, and waits until it reports UP. */
    public ServiceProcess start(String... extraArgs) {
        startWithoutWaiting(extraArgs);
        awaitHealthy();
        return this;
    }

    /** Starts the process and returns at once (for a service whose dependencies are still down). */
    public ServiceProcess startWithoutWaiting(String... extraArgs) {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        List<String> command = new ArrayList<>();
        // The services run on the tests' own JVM unless a benchmark names another java binary.
        command.add(System.getProperty(
                "twophase.java",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String flags = System.getProperty("twophase.jvm-flags");
        command.addAll(
                flags == null
                        ? TEST_JVM_FLAGS
                        : List.of(flags.replace("{name}", name).trim().split("\\s+")));
        command.addAll(jarWithItsJvmCache());
        command.add("--server.port=" + port);
        command.add("--twophase.data-dir=" + dataDir);
        // An extra --name=value replaces the base argument of the same name (Spring would join the two values).
        Set<String> replaced =
                Stream.of(extraArgs).map(ServiceProcess::optionName).collect(Collectors.toSet());
        baseArgs.stream().filter(arg -> !replaced.contains(optionName(arg))).forEach(command::add);
        command.addAll(List.of(extraArgs));
        crashPointsReached.clear();
        this.extraArgs = List.of(extraArgs);
        generation++;
        try {
            Files.createDirectories(dataDir);
            startToUp = null;
            spawnedAtNanos = System.nanoTime();
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
        Path logFile = dataDir.resolveSibling(name + "-" + generation + ".log");
        Thread pump = new Thread(() -> pumpOutput(process, logFile), name + "-output");
        pump.setDaemon(true);
        pump.start();
        return this;
    }

    /**
     * {@code -jar} and the jar to run: the service's jar, or — when the system property {@code twophase.jvm-cache}
     * names a directory made by {@code jvm-cache.sh} — its extracted copy there, with the JVM cache beside it (an AOT
     * cache on Java 25 and later, a CDS archive before).
     */
    private List<String> jarWithItsJvmCache() {
        String cacheDir = System.getProperty("twophase.jvm-cache");
        if (cacheDir == null || cacheDir.isBlank()) {
            return List.of("-jar", jar.toString());
        }
        String module = jar.getFileName().toString().replaceFirst("\\.jar$", "");
        Path dir = Path.of(cacheDir).resolve(module);
        List<String> args = new ArrayList<>();
        if (Files.exists(dir.resolve(module + ".aot"))) {
            args.add("-XX:AOTCache=" + dir.resolve(module + ".aot"));
        } else if (Files.exists(dir.resolve(module + ".jsa"))) {
            args.add("-XX:SharedArchiveFile=" + dir.resolve(module + ".jsa"));
        } else {
            throw new IllegalStateException("no JVM cache for " + module + " in " + cacheDir + ": run jvm-cache.sh");
        }
        args.addAll(List.of("-jar", dir.resolve(module + ".jar").toString()));
        return args;
    }

    public void awaitHealthy() {
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + "; see its log under " + dataDir.getParent());
                    }
                    return isUp();
                });
        if (startToUp == null) {
            startToUp = Duration.ofNanos(System.nanoTime() - spawnedAtNanos);
        }
    }

    /**
     * How long the process started last took from being spawned to answering UP on {@code /actuator/health}, as
     * {@link #awaitHealthy} saw it (to within its 50 ms polls); null before that.
     */
    public Duration startToUp() {
        return startToUp;
    }

    public boolean isUp() {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(url().resolve("/actuator/health"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits until the armed crash point has been reached (the process printed its marker). */
    public void awaitCrashPoint(String point) {
        await().atMost(Duration.ofSeconds(30)).until(() -> crashPointsReached.contains(point));
    }

    /** True if the running process was started with extra arguments (a crash point, a different setting). */
    public boolean isCustomised() {
        return !extraArgs.isEmpty();
    }

    /** Waits until the process has exited by itself (a HALT crash point). */
    public void awaitExit() {
        await().atMost(Duration.ofSeconds(90)).until(() -> !isAlive());
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What the process started last has printed so far. */
    public String currentLog() {
        try {
            return Files.readString(dataDir.resolveSibling(name + "-" + generation + ".log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the log of " + name, e);
        }
    }

    /** SIGSTOP: every thread frozen where it is, as in a long GC pause or a suspended VM; nothing is lost. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT: a paused process goes on where it stopped (also one that stopped itself at a STOP crash point). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .inheritIO()
                    .start()
                    .waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, and waits until the process has exited: a graceful stop (the service finishes and closes its log). */
    public void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not stop within 60 s of SIGTERM");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL: no shutdown hooks, no flushing, exactly like {@code kill -9}. */
    public void kill9() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill9();
    }

    private void pumpOutput(Process running, Path logFile) {
        try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(running.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter log = new PrintWriter(Files.newBufferedWriter(logFile, StandardCharsets.UTF_8), true)) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.println(line);
                if (line.startsWith("CRASH-POINT ")) {
                    crashPointsReached.add(line.split(" ")[1]);
                }
            }
        } catch (IOException e) {
            // The process is gone; nothing more to read.
        }
    }

    private static String optionName(String arg) {
        int equals = arg.indexOf('=');
        return equals < 0 ? arg : arg.substring(0, equals);
    }
}
