package dev.twophase.conformance;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code java -jar participant-conformance.jar --participant-url=… --bank-id=… --protocol-secret=… --open-accounts}:
 * prints one line per rule and {@code N passed, M failed} last; exits 0 when every rule run passed, 1 when one
 * failed, 2 when the kit could not run (bad options, accounts it cannot use).
 */
public final class ConformanceMain {

    static final String USAGE =
            """
            usage: java -jar participant-conformance.jar --participant-url=URL --bank-id=ID --protocol-secret=SECRET
                     (--open-accounts | --debit-account=ID --credit-account=ID)
                     [--coordinator-port=PORT] [--inquiry-wait=60s]
                     [--kill-command=CMD --start-command=CMD] [--start-wait=120s]
                     [--junit-xml=FILE] [--only=RULE,RULE...]
            See src-docs/conformance.md.""";

    private static final Set<String> KNOWN = Set.of(
            "participant-url",
            "bank-id",
            "protocol-secret",
            "open-accounts",
            "debit-account",
            "credit-account",
            "coordinator-port",
            "inquiry-wait",
            "kill-command",
            "start-command",
            "start-wait",
            "junit-xml",
            "only");

    private ConformanceMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        KitSettings settings;
        Map<String, String> options;
        try {
            options = parse(args);
            settings = settings(options);
        } catch (IllegalArgumentException e) {
            err.println("participant-conformance: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        out.println("participant-conformance: checking " + settings.participantUrl() + " (" + settings.bankId() + ")");
        Report report;
        try {
            report = ConformanceKit.run(settings, result -> out.println(result.line()));
        } catch (IllegalArgumentException e) {
            err.println("participant-conformance: " + e.getMessage());
            return 2;
        }
        if (options.containsKey("junit-xml")) {
            try {
                JUnitXml.write(report, Path.of(options.get("junit-xml")));
            } catch (java.io.IOException e) {
                err.println(
                        "participant-conformance: cannot write " + options.get("junit-xml") + ": " + e.getMessage());
                return 2;
            }
        }
        long notRun = report.count(RuleResult.Outcome.NOT_RUN);
        if (notRun > 0) {
            out.println(notRun + " not run");
        }
        out.println(report.summary());
        return report.conforms() ? 0 : 1;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!KNOWN.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            options.put(name, equals < 0 ? "" : arg.substring(equals + 1));
        }
        return options;
    }

    static KitSettings settings(Map<String, String> options) {
        String url = required(options, "participant-url");
        if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw new IllegalArgumentException("--participant-url must be an http:// or https:// URL");
        }
        boolean open = options.containsKey("open-accounts");
        String debit = options.get("debit-account");
        String credit = options.get("credit-account");
        if (open == (debit != null || credit != null)) {
            throw new IllegalArgumentException(
                    "give either --open-accounts or both --debit-account and --credit-account");
        }
        if (!open && (debit == null || credit == null || debit.isBlank() || credit.isBlank())) {
            throw new IllegalArgumentException("--debit-account and --credit-account go together");
        }
        Integer port = options.containsKey("coordinator-port") ? port(options.get("coordinator-port")) : null;
        Restarts restarts = null;
        if (options.containsKey("kill-command") || options.containsKey("start-command")) {
            restarts = new Restarts(
                    Restarts.shell(required(options, "kill-command")),
                    Restarts.shell(required(options, "start-command")),
                    duration(options.getOrDefault("start-wait", "120s"), "start-wait"));
        }
        Set<String> only = options.containsKey("only")
                ? Arrays.stream(options.get("only").split(","))
                        .map(String::strip)
                        .collect(Collectors.toSet())
                : Set.of();
        List<String> ruleIds = ConformanceKit.rules().stream().map(Rule::id).toList();
        for (String id : only) {
            if (!ruleIds.contains(id)) {
                throw new IllegalArgumentException("--only names no rule '" + id + "'; rules: " + ruleIds);
            }
        }
        return new KitSettings(
                url,
                required(options, "bank-id"),
                required(options, "protocol-secret"),
                open ? null : debit,
                open ? null : credit,
                port,
                duration(options.getOrDefault("inquiry-wait", "60s"), "inquiry-wait"),
                restarts,
                only);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--coordinator-port must be a port number (1-65535), not '" + text + "'");
    }

    private static Duration duration(String text, String name) {
        try {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "--" + name + " must be a duration such as 500ms, 60s or 2m, not '" + text + "'");
    }
}
