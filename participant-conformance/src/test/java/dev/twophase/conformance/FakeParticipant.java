package dev.twophase.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twophase.security.SignatureVerifier;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A participant small enough to read in one go, in memory, written from protocol.md alone — correct unless told to
 * have one of the {@link Flaw}s a careless implementation might have. It proves the kit passes a participant written
 * by someone else and catches each flaw by the rule it breaks. It offers no batches (the protocol allows that).
 */
final class FakeParticipant implements AutoCloseable {

    /** A way to break the protocol. */
    enum Flaw {
        VOTES_YES_WITHOUT_HOLDING,
        APPLIES_REPEATED_COMMIT_AGAIN,
        IGNORES_TOMBSTONES,
        ACCEPTS_UNSIGNED_MESSAGES
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern MESSAGE =
            Pattern.compile("^/2pc/transactions/([A-Za-z0-9_-]{1,64})(/(prepare|commit|abort))?$");
    private static final Pattern ACCOUNT = Pattern.compile("^/api/accounts/([^/]+)$");

    private record Account(BigDecimal balance, BigDecimal held) {}

    private record Operation(String account, boolean debit, BigDecimal amount) {}

    private record Transaction(String state, List<Operation> operations, String vote, String reason) {}

    private final Set<Flaw> flaws;
    private final SignatureVerifier verifier;
    private final HttpServer server;
    private final Map<String, Account> accounts = new HashMap<>();
    private final Map<String, Transaction> transactions = new HashMap<>();

    static {
        // Without it the JDK's server and client wait out each other's delayed ACKs: 40 ms a request.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    FakeParticipant(String secret, Set<Flaw> flaws) throws IOException {
        this.flaws = flaws;
        this.verifier =
                new SignatureVerifier(Map.of("coordinator", secret), Duration.ofSeconds(30), Clock.systemUTC(), 10_000);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (path.equals("/api/accounts") && method.equals("POST")) {
                JsonNode json = JSON.readTree(body);
                accounts.put(
                        json.path("id").asString(),
                        new Account(new BigDecimal(json.path("initialBalance").asString()), BigDecimal.ZERO));
                reply(exchange, 201, "{}");
                return;
            }
            Matcher account = ACCOUNT.matcher(path);
            if (account.matches()) {
                Account found = accounts.get(account.group(1));
                if (found == null) {
                    reply(exchange, 404, "{}");
                } else {
                    reply(
                            exchange,
                            200,
                            "{\"id\":\"" + account.group(1) + "\",\"balance\":\"" + found.balance() + "\",\"held\":\""
                                    + found.held() + "\"}");
                }
                return;
            }
            Matcher message = MESSAGE.matcher(path);
            if (!message.matches()) {
                reply(exchange, 404, "{}");
                return;
            }
            String txId = message.group(1);
            if (method.equals("GET")) {
                Transaction transaction = transactions.get(txId);
                reply(
                        exchange,
                        transaction == null ? 404 : 200,
                        transaction == null
                                ? "{}"
                                : "{\"txId\":\"" + txId + "\",\"state\":\"" + transaction.state() + "\"}");
                return;
            }
            boolean signed = verifier.verify(exchange.getRequestHeaders()::getFirst, method, path, body)
                    .accepted();
            if (!signed && !flaws.contains(Flaw.ACCEPTS_UNSIGNED_MESSAGES)) {
                reply(exchange, 401, "{\"title\":\"Unauthenticated protocol message\"}");
                return;
            }
            switch (message.group(3)) {
                case "prepare" -> prepare(exchange, txId, JSON.readTree(body));
                case "commit" -> commit(exchange, txId);
                case "abort" -> abort(exchange, txId);
                default -> reply(exchange, 404, "{}");
            }
        }
    }

    private void prepare(HttpExchange exchange, String txId, JsonNode body) throws IOException {
        Transaction known = transactions.get(txId);
        if (known != null) {
            vote(
                    exchange,
                    txId,
                    known.state().equals("ABORTED") && known.vote() == null ? "NO" : known.vote(),
                    known.vote() == null ? "ALREADY_ABORTED" : known.reason());
            return;
        }
        List<Operation> operations = body.path("operations")
                .valueStream()
                .map(op -> new Operation(
                        op.path("account").asString(),
                        op.path("type").asString().equals("DEBIT"),
                        new BigDecimal(op.path("amount").asString())))
                .toList();
        String refusal = null;
        Map<String, BigDecimal> debits = new HashMap<>();
        for (Operation op : operations) {
            if (!accounts.containsKey(op.account())) {
                refusal = "UNKNOWN_ACCOUNT";
            } else if (op.debit()) {
                debits.merge(op.account(), op.amount(), BigDecimal::add);
            }
        }
        for (Map.Entry<String, BigDecimal> debit : debits.entrySet()) {
            Account account = accounts.get(debit.getKey());
            if (refusal == null && account.balance().subtract(account.held()).compareTo(debit.getValue()) < 0) {
                refusal = "INSUFFICIENT_FUNDS";
            }
        }
        if (refusal != null) {
            transactions.put(txId, new Transaction("ABORTED", operations, "NO", refusal));
            vote(exchange, txId, "NO", refusal);
            return;
        }
        if (!flaws.contains(Flaw.VOTES_YES_WITHOUT_HOLDING)) {
            debits.forEach((id, amount) -> accounts.computeIfPresent(
                    id, (k, a) -> new Account(a.balance(), a.held().add(amount))));
        }
        transactions.put(txId, new Transaction("PREPARED", operations, "YES", null));
        vote(exchange, txId, "YES", null);
    }

    private void commit(HttpExchange exchange, String txId) throws IOException {
        Transaction known = transactions.get(txId);
        if (known == null) {
            reply(exchange, 404, "{}");
            return;
        }
        boolean repeat = known.state().equals("COMMITTED");
        if (known.state().equals("ABORTED")) {
            reply(exchange, 409, "{}");
            return;
        }
        if (!repeat || flaws.contains(Flaw.APPLIES_REPEATED_COMMIT_AGAIN)) {
            for (Operation op : known.operations()) {
                accounts.computeIfPresent(
                        op.account(),
                        (k, a) -> op.debit()
                                ? new Account(
                                        a.balance().subtract(op.amount()),
                                        repeat ? a.held() : a.held().subtract(op.amount()))
                                : new Account(a.balance().add(op.amount()), a.held()));
            }
        }
        transactions.put(txId, new Transaction("COMMITTED", known.operations(), known.vote(), null));
        reply(exchange, 200, "{\"txId\":\"" + txId + "\",\"state\":\"COMMITTED\"}");
    }

    private void abort(HttpExchange exchange, String txId) throws IOException {
        Transaction known = transactions.get(txId);
        if (known == null) {
            if (!flaws.contains(Flaw.IGNORES_TOMBSTONES)) {
                transactions.put(txId, new Transaction("ABORTED", List.of(), null, null));
            }
        } else if (known.state().equals("COMMITTED")) {
            reply(exchange, 409, "{}");
            return;
        } else if (known.state().equals("PREPARED")) {
            for (Operation op : known.operations()) {
                if (op.debit()) {
                    accounts.computeIfPresent(
                            op.account(),
                            (k, a) -> new Account(a.balance(), a.held().subtract(op.amount())));
                }
            }
            transactions.put(txId, new Transaction("ABORTED", known.operations(), known.vote(), known.reason()));
        }
        reply(exchange, 200, "{\"txId\":\"" + txId + "\",\"state\":\"ABORTED\"}");
    }

    private static void vote(HttpExchange exchange, String txId, String vote, String reason) throws IOException {
        reply(
                exchange,
                200,
                "{\"txId\":\"" + txId + "\",\"vote\":\"" + vote + "\",\"reason\":"
                        + (reason == null ? "null" : "\"" + reason + "\"") + "}");
    }

    private static void reply(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
