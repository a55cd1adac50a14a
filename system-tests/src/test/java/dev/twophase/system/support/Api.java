package dev.twophase.system.support;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The public HTTP APIs of the three services, as a client, a bank or an operator uses them. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final ServiceProcess coordinator;
    private final Map<String, ServiceProcess> banks;
    private final Credentials credentials;

    Api(ServiceProcess coordinator, Map<String, ServiceProcess> banks, Credentials credentials) {
        this.coordinator = coordinator;
        this.banks = Map.copyOf(banks);
        this.credentials = credentials;
    }

    /** Every bank's id, sorted. */
    public List<String> bankIds() {
        return banks.keySet().stream().sorted().toList();
    }

    /** An HTTP answer: status code and JSON body. */
    public record Reply(int status, JsonNode body) {
        public String text(String field) {
            JsonNode node = body.get(field);
            return node == null || node.isNull() ? null : node.asString();
        }
    }

    /** A bank account's money. */
    public record Balance(BigDecimal balance, BigDecimal held, BigDecimal available) {}

    public void openAccount(String bank, String id, String initialBalance) {
        Reply reply = post(bankUrl(bank, "/api/accounts"), Map.of("id", id, "initialBalance", initialBalance), null);
        if (reply.status() != 201) {
            throw new IllegalStateException("opening " + id + " at " + bank + " answered " + reply);
        }
    }

    public Balance balance(String bank, String account) {
        Reply reply = get(bankUrl(bank, "/api/accounts/" + account));
        if (reply.status() != 200) {
            throw new IllegalStateException("reading " + account + " at " + bank + " answered " + reply);
        }
        return new Balance(
                decimal(reply.body(), "balance"), decimal(reply.body(), "held"), decimal(reply.body(), "available"));
    }

    public Reply transfer(String fromBank, String fromAccount, String toBank, String toAccount, String amount) {
        return transfer(fromBank, fromAccount, toBank, toAccount, amount, null);
    }

    public Reply transfer(
            String fromBank,
            String fromAccount,
            String toBank,
            String toAccount,
            String amount,
            String idempotencyKey) {
        return post(
                coordinator.url().resolve("/api/transfers"),
                Map.of(
                        "fromBank",
                        fromBank,
                        "fromAccount",
                        fromAccount,
                        "toBank",
                        toBank,
                        "toAccount",
                        toAccount,
                        "amount",
                        amount),
                idempotencyKey);
    }

    /** Sends a transfer without waiting for the answer (for a coordinator that will be killed mid-way). */
    public CompletableFuture<Reply> transferAsync(
            String fromBank, String fromAccount, String toBank, String toAccount, String amount) {
        return transferAsync(fromBank, fromAccount, toBank, toAccount, amount, null);
    }

    /** Same, with an {@code Idempotency-Key} (null for none). */
    public CompletableFuture<Reply> transferAsync(
            String fromBank,
            String fromAccount,
            String toBank,
            String toAccount,
            String amount,
            String idempotencyKey) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return transfer(fromBank, fromAccount, toBank, toAccount, amount, idempotencyKey);
            } catch (UncheckedIOException e) {
                return new Reply(-1, JSON.createObjectNode());
            }
        });
    }

    public Reply getTransfer(String transferId) {
        return get(coordinator.url().resolve("/api/transfers/" + transferId));
    }

    /** One leg of a transaction: {@code amount} signed, negative for a debit. */
    public record Leg(String bank, String account, String amount) {}

    /** POST /api/transactions with these legs, with an {@code Idempotency-Key} (null for none). */
    public Reply transaction(List<Leg> legs, String idempotencyKey) {
        return post(
                coordinator.url().resolve("/api/transactions"),
                Map.of(
                        "legs",
                        legs.stream()
                                .map(leg ->
                                        Map.of("bank", leg.bank(), "account", leg.account(), "amount", leg.amount()))
                                .toList()),
                idempotencyKey);
    }

    /** Sends a transaction without waiting for the answer (for a process that will be killed mid-way). */
    public CompletableFuture<Reply> transactionAsync(List<Leg> legs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return transaction(legs, null);
            } catch (UncheckedIOException e) {
                return new Reply(-1, JSON.createObjectNode());
            }
        });
    }

    /** GET /api/transactions/{id}: any transaction, a transfer too. */
    public Reply getTransaction(String transactionId) {
        return get(coordinator.url().resolve("/api/transactions/" + transactionId));
    }

    public String decision(String txId) {
        return get(coordinator.url().resolve("/api/transactions/" + txId + "/decision"))
                .text("decision");
    }

    /** The bank's record of one transaction, or null if it has none. */
    public JsonNode bankTransaction(String bank, String txId) {
        Reply reply = get(bankUrl(bank, "/2pc/transactions/" + txId));
        return reply.status() == 404 ? null : reply.body();
    }

    public List<JsonNode> inDoubt(String bank) {
        List<JsonNode> result = new ArrayList<>();
        get(bankUrl(bank, "/2pc/transactions?state=PREPARED")).body().forEach(result::add);
        return result;
    }

    /** The prepared transaction at {@code bank} that touches {@code account}; fails unless there is exactly one. */
    public String inDoubtTxIdFor(String bank, String account) {
        return onlyTxIdFor(inDoubt(bank), bank, account);
    }

    /** The transaction, in any state, at {@code bank} that touches {@code account}; fails unless there is exactly one. */
    public String txIdFor(String bank, String account) {
        List<JsonNode> all = new ArrayList<>();
        get(bankUrl(bank, "/2pc/transactions")).body().forEach(all::add);
        return onlyTxIdFor(all, bank, account);
    }

    private static String onlyTxIdFor(List<JsonNode> transactions, String bank, String account) {
        List<String> ids = transactions.stream()
                .filter(tx -> tx.get("operations").findValuesAsString("account").contains(account))
                .map(tx -> tx.get("txId").asString())
                .toList();
        if (ids.size() != 1) {
            throw new IllegalStateException(bank + " has " + ids.size() + " prepared transactions for " + account);
        }
        return ids.get(0);
    }

    /** The bank's state for {@code txId} (PREPARED, COMMITTED, ABORTED), or null if it has no record. */
    public String bankState(String bank, String txId) {
        JsonNode tx = bankTransaction(bank, txId);
        return tx == null ? null : tx.get("state").asString();
    }

    /** True once the coordinator has an acknowledgement from every bank and has ended the transaction. */
    public boolean fullyAcknowledged(String txId) {
        JsonNode transfer = getTransaction(txId).body();
        boolean everyBank = transfer.get("participants").findValuesAsString("acknowledged").stream()
                .allMatch("true"::equals);
        return everyBank && !transfer.get("completedAt").isNull();
    }

    /** An operator action on the coordinator's ops API ({@code retry}, {@code abort}, {@code heuristic}). */
    public Reply operatorAction(String txId, String action, Map<String, String> body) {
        return post(coordinator.url().resolve("/api/ops/transactions/" + txId + "/" + action), body, null);
    }

    /** The dashboard's overview JSON. */
    public JsonNode opsOverview() {
        return get(coordinator.url().resolve("/api/ops/overview")).body();
    }

    /** The dashboard's Cluster panel JSON: each node's lease and in-flight transactions, the latest takeovers. */
    public JsonNode opsCluster() {
        return get(coordinator.url().resolve("/api/ops/cluster")).body();
    }

    /** Reconciliation of the transactions begun in {@code [from, to)}, run now (the dashboard's panel, on demand). */
    public Reply reconciliation(java.time.Instant from, java.time.Instant to) {
        return get(coordinator.url().resolve("/api/ops/reconciliation?from=" + from + "&to=" + to));
    }

    /** The latest operator actions, newest first. */
    public List<JsonNode> auditLog() {
        List<JsonNode> entries = new ArrayList<>();
        get(coordinator.url().resolve("/api/ops/audit?limit=100")).body().forEach(entries::add);
        return entries;
    }

    /** A plain-text GET (metrics, API docs): the body as it came. */
    public String getText(URI uri) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
            authenticate(request, "GET", uri, new byte[0]);
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET with the credentials its service expects (see {@link #authenticate}). */
    public Reply get(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        authenticate(request, "GET", uri, new byte[0]);
        return send(request);
    }

    /** A JSON POST with the credentials its service expects (see {@link #authenticate}). */
    public Reply post(URI uri, Object body, String idempotencyKey) {
        byte[] json = JSON.writeValueAsBytes(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        authenticate(request, "POST", uri, json);
        return send(request);
    }

    /** Sends a request exactly as built: no credentials added (for the security tests). */
    public Reply sendAsIs(HttpRequest.Builder request) {
        return send(request);
    }

    /**
     * Adds what each caller would have: the client's API key on the transfer API, the operator's login on the ops
     * API, bank-a's signature on a decision inquiry, the coordinator's signature on a protocol request to a bank.
     */
    private void authenticate(HttpRequest.Builder request, String method, URI uri, byte[] body) {
        String path = uri.getRawPath();
        String pathAndQuery = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (uri.getPort() == coordinator.port()) {
            boolean inquiry = path.startsWith("/api/transactions/") && path.endsWith("/decision");
            if (path.startsWith("/api/transfers") || (path.startsWith("/api/transactions") && !inquiry)) {
                request.header("Authorization", "Bearer " + credentials.apiKey());
            } else if (path.startsWith("/api/ops")) {
                request.header("Authorization", basic(Credentials.OPERATOR, credentials.operatorPassword()));
            } else if (inquiry) {
                sign(
                        request,
                        Cluster.BANK_A,
                        credentials.protocolSecrets().get(Cluster.BANK_A),
                        method,
                        pathAndQuery,
                        body);
            }
            return;
        }
        for (Map.Entry<String, ServiceProcess> bank : banks.entrySet()) {
            // The coordinator signs every protocol request, reads too (GET /2pc/decisions requires it).
            if (uri.getPort() == bank.getValue().port() && path.startsWith("/2pc/")) {
                sign(
                        request,
                        ProtocolSignature.COORDINATOR,
                        credentials.protocolSecrets().get(bank.getKey()),
                        method,
                        pathAndQuery,
                        body);
            }
        }
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static void sign(
            HttpRequest.Builder request, String keyId, String secret, String method, String pathAndQuery, byte[] body) {
        ProtocolSignature.headers(
                        keyId, secret.getBytes(StandardCharsets.UTF_8), method, pathAndQuery, body, Instant.now())
                .forEach(request::header);
    }

    public URI bankUrl(String bank, String path) {
        return banks.get(bank).url().resolve(path);
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static BigDecimal decimal(JsonNode body, String field) {
        return new BigDecimal(body.get(field).asString());
    }
}
