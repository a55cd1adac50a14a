package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jvm-cache.sh}, which {@code run.sh} runs on the first start after a build: it trains the three services on
 * real transfers and leaves, per service, an extracted jar and a JVM cache that the JVM accepts. The coordinator is
 * then started from them with the cache made mandatory ({@code -Xshare:on} for a CDS archive, {@code -XX:AOTMode=on}
 * for an AOT cache: the JVM refuses to start if the cache does not fit) and must come UP (src-docs/startup.md).
 */
class JvmCacheIT {

    private static final Path ROOT =
            Path.of(System.getProperty("twophase.root", "..")).toAbsolutePath();
    private static final String JAVA =
            Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final String JVM_OPTS = "-Xmx256m";

    @Test
    void theTrainedCacheIsAcceptedAndTheCoordinatorComesUpWithIt(@TempDir Path tmp) throws Exception {
        Path caches = tmp.resolve("jvm");
        Run made = script(List.of(caches.toString()), Duration.ofMinutes(5));

        assertThat(made.exit()).as(made.output()).isZero();
        Matcher trained = Pattern.compile("trained on (\\d+) committed").matcher(made.output());
        assertThat(trained.find()).as(made.output()).isTrue();
        assertThat(Integer.parseInt(trained.group(1))).isPositive();
        assertThat(script(List.of("--fresh", caches.toString()), Duration.ofMinutes(1))
                        .exit())
                .isZero();
        // Made with other JVM options, a cache counts as stale: some (compact object headers on or off, seen) make
        // the JVM drop it with a mere warning, and the key does not tell those from the rest (here a heap bound).
        assertThat(script(List.of("--fresh", caches.toString()), "-Xmx300m", Duration.ofMinutes(1))
                        .exit())
                .isNotZero();
        String flag = script(List.of("--flags", caches.toString(), "coordinator"), Duration.ofMinutes(1))
                .output()
                .trim();
        assertThat(flag).matches("-XX:(SharedArchiveFile|AOTCache)=.*coordinator\\.(jsa|aot)");

        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(JAVA, JVM_OPTS, flag));
        command.add(flag.contains("AOTCache") ? "-XX:AOTMode=on" : "-Xshare:on");
        command.addAll(List.of(
                "-jar",
                caches.resolve("coordinator").resolve("coordinator.jar").toString(),
                "--server.port=" + port,
                "--twophase.data-dir=" + tmp.resolve("coordinator-data")));
        Path log = tmp.resolve("coordinator.log");
        Process coordinator = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        assertThat(coordinator.isAlive())
                                .as("the coordinator exited: %s", Files.readString(log))
                                .isTrue();
                        try {
                            HttpResponse<String> health = http.send(
                                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            return health.body().contains("\"UP\"");
                        } catch (IOException notYet) {
                            return false;
                        }
                    });
        } finally {
            coordinator.destroyForcibly().waitFor();
        }
    }

    /**
     * The key's digest of the jars ({@code tools/JarKey.java}) leaves out only what Spring's build-time processing
     * generates (bean definitions and CGLIB proxies, whose order differs from build to build): jars that differ there
     * keep the caches; jars that differ in any other entry — a class, a migration whose name also has {@code __} — do
     * not.
     */
    @Test
    void theCachesKeyIgnoresOnlyWhatTheBuildGenerates(@TempDir Path tmp) throws Exception {
        Path built = jar(tmp.resolve("built.jar"), "generated in one order", "class bytes", "CREATE TABLE t");
        Path rebuilt = jar(tmp.resolve("rebuilt.jar"), "generated in another order", "class bytes", "CREATE TABLE t");
        Path changed = jar(tmp.resolve("changed.jar"), "generated in one order", "other bytes", "CREATE TABLE t");
        Path migrated = jar(tmp.resolve("migrated.jar"), "generated in one order", "class bytes", "CREATE TABLE u");

        assertThat(jarKey(rebuilt)).isEqualTo(jarKey(built));
        assertThat(jarKey(changed)).isNotEqualTo(jarKey(built));
        assertThat(jarKey(migrated)).isNotEqualTo(jarKey(built));
    }

    private static Path jar(Path file, String generated, String type, String migration) throws IOException {
        String classes = "BOOT-INF/classes/dev/twophase/bank/account/";
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String name : List.of("Accounts$$SpringCGLIB$$0.class", "Accounts__BeanDefinitions.class")) {
                zip.putNextEntry(new ZipEntry(classes + name));
                zip.write(generated.getBytes(StandardCharsets.UTF_8));
            }
            zip.putNextEntry(new ZipEntry(classes + "Accounts.class"));
            zip.write(type.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("BOOT-INF/classes/db/migration/V1__accounts.sql"));
            zip.write(migration.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }

    private static String jarKey(Path jar) throws Exception {
        // The jar's name is part of the digest (several jars go into one), so each is read under the same name.
        Path named = Files.createDirectories(jar.resolveSibling(jar.getFileName() + ".d"))
                .resolve("service.jar");
        Files.copy(jar, named, StandardCopyOption.REPLACE_EXISTING);
        Process process = new ProcessBuilder(
                        JAVA, ROOT.resolve("tools/JarKey.java").toString(), "service.jar")
                .directory(named.getParent().toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.trim();
    }

    private record Run(int exit, String output) {}

    private static Run script(List<String> args, Duration limit) throws Exception {
        return script(args, JVM_OPTS, limit);
    }

    private static Run script(List<String> args, String jvmOptions, Duration limit) throws Exception {
        List<String> command =
                new ArrayList<>(List.of("bash", ROOT.resolve("jvm-cache.sh").toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("JAVA", JAVA);
        builder.environment().put("JAVA_OPTS", jvmOptions);
        builder.environment().put("TRAINING_SECONDS", "5");
        Process process = builder.start();
        // Read as it goes: a full pipe would stall the script.
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
