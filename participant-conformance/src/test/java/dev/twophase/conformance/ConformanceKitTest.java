package dev.twophase.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.conformance.FakeParticipant.Flaw;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kit against a participant written from protocol.md alone (in memory): it passes the correct one, and fails each
 * broken variant naming the rule that variant breaks — through the command line's own entry point and exit code.
 */
class ConformanceKitTest {

    private static final String SECRET = "a-secret-the-kit-and-the-fake-share";

    @Test
    void passesAParticipantThatKeepsTheRules(@TempDir Path dir) throws Exception {
        try (FakeParticipant participant = new FakeParticipant(SECRET, Set.of())) {
            Path xml = dir.resolve("conformance.xml");
            Run run = runKit(participant, "--junit-xml=" + xml);

            assertThat(run.exit()).as(run.out()).isZero();
            assertThat(run.out()).doesNotContain("FAIL ").endsWith("18 passed, 0 failed" + System.lineSeparator());
            // The fake offers no batches and the kit was given neither a coordinator port nor restart commands.
            assertThat(run.out()).contains("NOT_RUN batch.as-single-messages", "5 not run");
            String junit = Files.readString(xml);
            assertThat(junit).contains("tests=\"23\" failures=\"0\" errors=\"0\" skipped=\"5\"");
            assertThat(junit).contains("name=\"commit.applies-once: ");
        }
    }

    @ParameterizedTest
    @CsvSource(
            textBlock =
                    """
                    VOTES_YES_WITHOUT_HOLDING,     prepare.yes-holds-exactly-the-debits
                    APPLIES_REPEATED_COMMIT_AGAIN, commit.applies-once
                    IGNORES_TOMBSTONES,            abort.before-prepare-leaves-tombstone
                    ACCEPTS_UNSIGNED_MESSAGES,     auth.unsigned-refused
                    """)
    void failsAParticipantThatBreaksARuleAndNamesIt(Flaw flaw, String brokenRule, @TempDir Path dir) throws Exception {
        try (FakeParticipant participant = new FakeParticipant(SECRET, Set.of(flaw))) {
            Path xml = dir.resolve("conformance.xml");
            Run run = runKit(participant, "--junit-xml=" + xml);

            assertThat(run.exit()).as(run.out()).isEqualTo(1);
            assertThat(run.out()).containsPattern("(?m)^FAIL +" + brokenRule.replace(".", "\\.") + " ");
            assertThat(run.out()).containsPattern("(?m)^\\d+ passed, [1-9]\\d* failed$");
            assertThat(Files.readString(xml))
                    .containsPattern("name=\"" + brokenRule.replace(".", "\\.")
                            + ": [^\"]*\" time=\"[0-9.]+\">\\s*<failure message=");
        }
    }

    @Test
    void refusesToStartWithoutWhatItNeeds() {
        Run run = run("--participant-url=http://127.0.0.1:1", "--bank-id=bank-x", "--open-accounts");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--protocol-secret is required", "usage:");

        Run unknownRule = run(
                "--participant-url=http://127.0.0.1:1",
                "--bank-id=b",
                "--protocol-secret=s",
                "--open-accounts",
                "--only=no.such.rule");
        assertThat(unknownRule.exit()).isEqualTo(2);
        assertThat(unknownRule.err()).contains("--only names no rule 'no.such.rule'");

        Run nobodyThere =
                run("--participant-url=http://127.0.0.1:1", "--bank-id=b", "--protocol-secret=s", "--open-accounts");
        assertThat(nobodyThere.exit()).isEqualTo(2);
        assertThat(nobodyThere.err()).contains("cannot set up the kit's accounts");
    }

    private record Run(int exit, String out, String err) {}

    private static Run runKit(FakeParticipant participant, String... extra) {
        String[] args = new String[4 + extra.length];
        args[0] = "--participant-url=" + participant.url();
        args[1] = "--bank-id=bank-fake";
        args[2] = "--protocol-secret=" + SECRET;
        args[3] = "--open-accounts";
        System.arraycopy(extra, 0, args, 4, extra.length);
        return run(args);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ConformanceMain.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
