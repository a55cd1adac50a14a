package dev.twophase.conformance;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.twophase.protocol.Decision;
import dev.twophase.security.SignatureVerifier;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kit as the coordinator a participant asks what happened ({@code GET /api/transactions/{txId}/decision},
 * protocol.md "Decision inquiry"): it checks each inquiry's signature as the coordinator does, keeps every inquiry for
 * the rules to examine, and answers from what the kit decided — PENDING while it is still "collecting votes", ABORT
 * for a transaction it has no record of (presumed abort).
 */
public final class KitCoordinator implements AutoCloseable {

    private static final Pattern DECISION_PATH = Pattern.compile("^/api/transactions/([A-Za-z0-9_-]{1,64})/decision$");

    /** One inquiry as received: about which transaction, from whom, when, and whether its signature was good. */
    public record Inquiry(String txId, String keyId, Instant at, String rejection, String answered) {
        public boolean signedCorrectly() {
            return rejection == null;
        }
    }

    private enum Known {
        PREPARING,
        COMMIT,
        ABORT
    }

    private final HttpServer server;
    private final SignatureVerifier verifier;
    private final Map<String, Known> decisions = new ConcurrentHashMap<>();
    private final List<Inquiry> inquiries = new CopyOnWriteArrayList<>();

    public KitCoordinator(int port, String bankId, String protocolSecret) throws IOException {
        this.verifier = new SignatureVerifier(
                Map.of(bankId, protocolSecret), Duration.ofSeconds(30), Clock.systemUTC(), 100_000);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", this::answer);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    void preparing(String txId) {
        decisions.putIfAbsent(txId, Known.PREPARING);
    }

    void decide(String txId, Decision decision) {
        decisions.put(txId, decision == Decision.COMMIT ? Known.COMMIT : Known.ABORT);
    }

    /** Every inquiry about {@code txId} received so far, in order. */
    public List<Inquiry> inquiriesAbout(String txId) {
        return inquiries.stream().filter(i -> i.txId().equals(txId)).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String pathAndQuery = exchange.getRequestURI().getRawPath()
                    + (exchange.getRequestURI().getRawQuery() == null
                            ? ""
                            : "?" + exchange.getRequestURI().getRawQuery());
            Matcher matcher = DECISION_PATH.matcher(exchange.getRequestURI().getRawPath());
            if (!exchange.getRequestMethod().equals("GET") || !matcher.matches()) {
                reply(exchange, 404, "{\"title\":\"Not found\"}");
                return;
            }
            String txId = matcher.group(1);
            byte[] body = exchange.getRequestBody().readAllBytes();
            SignatureVerifier.Verdict verdict =
                    verifier.verify(exchange.getRequestHeaders()::getFirst, "GET", pathAndQuery, body);
            String keyId = exchange.getRequestHeaders().getFirst("X-Twophase-Key-Id");
            if (!verdict.accepted()) {
                inquiries.add(new Inquiry(txId, keyId, Instant.now(), verdict.rejection(), null));
                reply(
                        exchange,
                        401,
                        "{\"title\":\"Unauthenticated protocol message\",\"detail\":\"" + verdict.rejection() + "\"}");
                return;
            }
            String decision =
                    switch (decisions.getOrDefault(txId, Known.ABORT)) {
                        case PREPARING -> "PENDING";
                        case COMMIT -> "COMMIT";
                        case ABORT -> "ABORT";
                    };
            inquiries.add(new Inquiry(txId, keyId, Instant.now(), null, decision));
            reply(exchange, 200, "{\"txId\":\"" + txId + "\",\"decision\":\"" + decision + "\"}");
        }
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
