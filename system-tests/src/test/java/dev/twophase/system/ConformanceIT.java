package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.conformance.ConformanceKit;
import dev.twophase.conformance.KitSettings;
import dev.twophase.conformance.Report;
import dev.twophase.conformance.Restarts;
import dev.twophase.conformance.RuleResult;
import dev.twophase.system.support.LoneBank;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The participant conformance kit against this project's bank, a real process on each store: the kit's jar, run as
 * another bank's team would run it, passes every rule, the inquiry rules included (the kit answering as the
 * coordinator); and the durability rules, which kill the bank with SIGKILL, pass through the kit's Java API.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class ConformanceIT {

    private static final String SECRET = "conformance-secret-of-bank-x";

    @Parameter
    Store store;

    @TempDir
    Path root;

    @Test
    void theBankPassesEveryRuleOfTheKitsJar() throws Exception {
        int coordinatorPort = freePort();
        try (LoneBank bank =
                LoneBank.start("conformance", root, store, "bank-x", SECRET, "http://127.0.0.1:" + coordinatorPort)) {
            Path xml = root.resolve("conformance.xml");
            Path output = root.resolve("kit.out");
            Process kit = new ProcessBuilder(
                            javaBinary(),
                            "-jar",
                            kitJar().toString(),
                            "--participant-url=" + bank.process().url(),
                            "--bank-id=bank-x",
                            "--protocol-secret=" + SECRET,
                            "--open-accounts",
                            "--coordinator-port=" + coordinatorPort,
                            "--inquiry-wait=30s",
                            "--junit-xml=" + xml)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            assertThat(kit.waitFor(3, TimeUnit.MINUTES)).isTrue();
            String printed = Files.readString(output, StandardCharsets.UTF_8);

            assertThat(kit.exitValue()).as(printed).isZero();
            List<String> lines = printed.lines().toList();
            assertThat(lines.get(lines.size() - 1)).isEqualTo("21 passed, 0 failed");
            assertThat(lines)
                    .filteredOn(line -> line.startsWith("PASS "))
                    .hasSize(21)
                    .anyMatch(line -> line.contains("inquiry.asks-waits-and-applies-commit"))
                    .anyMatch(line -> line.contains("batch.as-single-messages"));
            assertThat(lines)
                    .filteredOn(line -> line.startsWith("NOT_RUN "))
                    .allMatch(line -> line.contains("durability."))
                    .hasSize(2);
            assertThat(Files.readString(xml)).contains("tests=\"23\" failures=\"0\" errors=\"0\" skipped=\"2\"");
        }
    }

    @Test
    void aPreparedTransactionAndACommitSurviveKill9AsTheKitChecksThem() throws Exception {
        int coordinatorPort = freePort();
        try (LoneBank bank =
                LoneBank.start("conformance", root, store, "bank-x", SECRET, "http://127.0.0.1:" + coordinatorPort)) {
            ServiceProcess process = bank.process();
            Restarts restarts = new Restarts(process::kill9, process::startWithoutWaiting, Duration.ofSeconds(90));
            KitSettings settings = new KitSettings(
                    process.url().toString(),
                    "bank-x",
                    SECRET,
                    null,
                    null,
                    coordinatorPort,
                    Duration.ofSeconds(30),
                    restarts,
                    Set.of("durability.prepared-survives-kill", "durability.commit-not-reapplied"));

            Report report = ConformanceKit.run(settings, result -> {});

            assertThat(report.results())
                    .as(report.failures().toString())
                    .hasSize(2)
                    .allMatch(result -> result.outcome() == RuleResult.Outcome.PASS);
        }
    }

    private static Path kitJar() {
        Path jar = Path.of(System.getProperty("twophase.root", ".."), "participant-conformance", "target")
                .resolve("participant-conformance.jar")
                .toAbsolutePath();
        assertThat(jar).isRegularFile();
        return jar;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
