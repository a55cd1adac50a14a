package dev.twophase.conformance;

import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.security.ProtocolSignature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The participant under test, spoken to as the coordinator speaks to it: signed protocol messages under {@code /2pc/}
 * and the bank API's account reads. Every call answers a {@link Reply}; nothing here judges.
 */
public final class Participant {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final byte[] secret;
    private final HttpClient http;

    public Participant(String url, String protocolSecret) {
        this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        this.secret = protocolSecret.getBytes(StandardCharsets.UTF_8);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
    }

    public Reply prepare(String txId, List<Leg> operations) {
        return post(path(ProtocolPaths.PREPARE, txId), Messages.prepare(operations), Signing.VALID);
    }

    public Reply commit(String txId) {
        return post(path(ProtocolPaths.COMMIT, txId), "", Signing.VALID);
    }

    public Reply abort(String txId) {
        return post(path(ProtocolPaths.ABORT, txId), "", Signing.VALID);
    }

    public Reply batch(String body) {
        return post(ProtocolPaths.BATCH, body, Signing.VALID);
    }

    /** A POST under /2pc/ signed as {@code signing} says. */
    public Reply post(String pathAndQuery, String body, Signing signing) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signatureHeaders("POST", pathAndQuery, bytes, signing);
        return send("POST", pathAndQuery, body, headers);
    }

    /** Sends exactly the given headers: to replay a message the participant has already accepted. */
    public Reply send(String method, String pathAndQuery, String body, Map<String, String> headers) {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(TIMEOUT);
        headers.forEach(request::header);
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            request.GET();
        }
        String sent = method + " " + pathAndQuery + (body.isEmpty() ? "" : " " + body);
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(sent, response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("no answer to " + sent + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The four signature headers of a message, made as {@code signing} says. */
    public Map<String, String> signatureHeaders(String method, String pathAndQuery, byte[] body, Signing signing) {
        return switch (signing) {
            case VALID ->
                ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR, secret, method, pathAndQuery, body, Instant.now());
            case UNSIGNED -> Map.of();
            case WRONG_SECRET ->
                ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR,
                        "not-the-shared-secret".getBytes(StandardCharsets.UTF_8),
                        method,
                        pathAndQuery,
                        body,
                        Instant.now());
            case UNKNOWN_SIGNER ->
                ProtocolSignature.headers("someone-else", secret, method, pathAndQuery, body, Instant.now());
            case TAMPERED ->
                ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR,
                        secret,
                        method,
                        pathAndQuery,
                        (new String(body, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8),
                        Instant.now());
            case STALE ->
                ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR,
                        secret,
                        method,
                        pathAndQuery,
                        body,
                        Instant.now().minus(Duration.ofMinutes(10)));
        };
    }

    /** The participant's record of a transaction (a signed read, as the coordinator sends it). */
    public Reply record(String txId) {
        String pathAndQuery = path(ProtocolPaths.TRANSACTION, txId);
        return send("GET", pathAndQuery, "", signatureHeaders("GET", pathAndQuery, new byte[0], Signing.VALID));
    }

    /** The state in the participant's record, or "(none)" when it has none. */
    public String stateOf(String txId) {
        Reply reply = record(txId);
        return reply.status() == 404 ? "(none)" : String.valueOf(reply.text("state"));
    }

    /** Whether the participant answers at all (after a restart). */
    public boolean answers() {
        try {
            return record("conformance-ping").status() > 0;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    public Reply openAccount(String id, BigDecimal initialBalance) {
        String body = "{\"id\":\"" + id + "\",\"initialBalance\":\"" + initialBalance.toPlainString() + "\"}";
        return send("POST", "/api/accounts", body, Map.of());
    }

    /** An account's balance and held amount as the bank API shows them. */
    public AccountSnapshot account(String id) {
        Reply reply = send("GET", "/api/accounts/" + id, "", Map.of());
        if (reply.status() != 200) {
            throw new RuleBroken("cannot read account " + id + " through the bank API: " + reply.evidence());
        }
        JsonNode json = reply.json();
        return new AccountSnapshot(
                id,
                new BigDecimal(json.path("balance").asString("0")),
                new BigDecimal(json.path("held").asString("0")));
    }

    private static String path(String template, String txId) {
        return template.replace("{txId}", txId);
    }
}
