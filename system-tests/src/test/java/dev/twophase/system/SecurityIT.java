package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.security.ProtocolSignature;
import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Credentials;
import dev.twophase.system.support.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Who may do what, against real processes: clients need an API key; protocol messages must be signed, and a forged,
 * tampered, stale or replayed one changes nothing at a real bank; a bank hears decisions only about its own
 * transactions; the dashboard needs a login, only an OPERATOR acts, and a page POST without the CSRF token is refused;
 * no secret shows up in a log, an error or the metrics.
 */
class SecurityIT extends AliceAndBobTest {

    private static final String TRANSFER =
            "{\"fromBank\":\"bank-a\",\"fromAccount\":\"%s\",\"toBank\":\"bank-b\",\"toAccount\":\"%s\",\"amount\":\"10.00\"}";

    @Test
    void aClientWithoutAKnownApiKeyGets401AndNothingMoves() {
        String body = TRANSFER.formatted(alice, bob);
        Reply none = api.sendAsIs(jsonPost(coordinator("/api/transfers"), body));
        Reply wrong =
                api.sendAsIs(jsonPost(coordinator("/api/transfers"), body).header("Authorization", "Bearer not-a-key"));
        Reply almost = api.sendAsIs(jsonPost(coordinator("/api/transfers"), body)
                .header("Authorization", "Bearer " + cluster.credentials().apiKey() + "x"));
        Reply read = api.sendAsIs(HttpRequest.newBuilder(coordinator("/api/transfers/" + UUID.randomUUID())));

        for (Reply reply : List.of(none, wrong, almost, read)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.text("title")).isEqualTo("Unauthenticated");
        }
        assertThat(wrong.text("detail")).doesNotContain("not-a-key");
        assertBalances("100.00", "0.00");
        assertThat(api.transfer(BANK_A, alice, BANK_B, bob, "10.00").status()).isEqualTo(201);
    }

    @Test
    void forgedTamperedStaleAndReplayedProtocolMessagesAreRefusedByARealBankAndChangeNothing() {
        String txId = "sec-" + UUID.randomUUID();
        String path = "/2pc/transactions/" + txId + "/prepare";
        byte[] prepare = prepareBody(alice, "10.00");
        byte[] secret = secret(BANK_A);

        // Unsigned, signed with the wrong secret, signed for another body, signed five minutes ago.
        Reply unsigned = api.sendAsIs(post(bank(BANK_A, path), prepare, Map.of()));
        Reply forged = api.sendAsIs(post(bank(BANK_A, path), prepare, signed("wrong".getBytes(), path, prepare)));
        Map<String, String> forTen = signed(secret, path, prepare);
        Reply tampered = api.sendAsIs(post(bank(BANK_A, path), prepareBody(alice, "90.00"), forTen));
        Reply stale = api.sendAsIs(post(
                bank(BANK_A, path),
                prepare,
                ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR,
                        secret,
                        "POST",
                        path,
                        prepare,
                        Instant.now().minus(Duration.ofMinutes(5)))));
        Reply asAnotherBank = api.sendAsIs(post(
                bank(BANK_A, path),
                prepare,
                ProtocolSignature.headers(BANK_B, secret(BANK_B), "POST", path, prepare, Instant.now())));
        for (Reply refused : List.of(unsigned, forged, tampered, stale, asAnotherBank)) {
            assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
        }
        assertThat(stale.text("detail")).contains("stale");
        // Not even read whole: a form post (which the body size filter leaves to the container) over the limit.
        Reply oversizedForm = api.sendAsIs(HttpRequest.newBuilder(bank(BANK_A, path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("a=" + "x".repeat(1_100_000))));
        assertThat(oversizedForm.status()).isEqualTo(413);
        assertThat(api.bankTransaction(BANK_A, txId)).isNull();
        assertBalances("100.00", "0.00");

        // A genuine prepare is taken; the very same message sent again is refused as a replay.
        Map<String, String> genuine = signed(secret, path, prepare);
        assertThat(api.sendAsIs(post(bank(BANK_A, path), prepare, genuine)).text("vote"))
                .isEqualTo("YES");
        Reply replayed = api.sendAsIs(post(bank(BANK_A, path), prepare, genuine));
        assertThat(replayed.status()).isEqualTo(401);
        assertThat(replayed.text("detail")).contains("replayed");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("10.00");

        // Decisions too: a forged commit and an unsigned abort change nothing; a signed abort releases the hold.
        String commit = "/2pc/transactions/" + txId + "/commit";
        String abort = "/2pc/transactions/" + txId + "/abort";
        assertThat(api.sendAsIs(post(bank(BANK_A, commit), new byte[0], signed("x".getBytes(), commit, new byte[0])))
                        .status())
                .isEqualTo(401);
        assertThat(api.sendAsIs(post(bank(BANK_A, abort), new byte[0], Map.of()))
                        .status())
                .isEqualTo(401);
        assertThat(api.bankState(BANK_A, txId)).isEqualTo("PREPARED");
        assertThat(api.sendAsIs(post(bank(BANK_A, abort), new byte[0], signed(secret, abort, new byte[0])))
                        .text("state"))
                .isEqualTo("ABORTED");
        assertBalances("100.00", "0.00");
    }

    @Test
    void decisionInquiriesMustBeSignedAndABankHearsOnlyAboutItsOwnTransactions() {
        Reply sameBank = api.transfer(BANK_A, alice, BANK_A, ledger.open(BANK_A, "carol", "0.00"), "5.00");
        String txId = sameBank.text("transferId");
        String path = "/api/transactions/" + txId + "/decision";

        Reply unsigned = api.sendAsIs(HttpRequest.newBuilder(coordinator(path)));
        Reply forged = api.sendAsIs(signedGet(coordinator(path), BANK_A, "forged".getBytes(), path));
        Reply otherBank = api.sendAsIs(signedGet(coordinator(path), BANK_B, secret(BANK_B), path));
        Reply ownBank = api.sendAsIs(signedGet(coordinator(path), BANK_A, secret(BANK_A), path));

        assertThat(unsigned.status()).isEqualTo(401);
        assertThat(forged.status()).isEqualTo(401);
        assertThat(otherBank.status()).isEqualTo(403);
        assertThat(ownBank.status()).isEqualTo(200);
        assertThat(ownBank.text("decision")).isEqualTo("COMMIT");
    }

    @Test
    void theDashboardNeedsALoginOnlyAnOperatorActsAndPagePostsNeedTheCsrfToken() throws Exception {
        URI overview = coordinator("/api/ops/overview");
        URI retry = coordinator("/api/ops/transactions/" + UUID.randomUUID() + "/retry");
        Credentials credentials = cluster.credentials();

        assertThat(api.sendAsIs(HttpRequest.newBuilder(overview)).status()).isEqualTo(401);
        Reply viewerReads = api.sendAsIs(HttpRequest.newBuilder(overview)
                .header("Authorization", Api.basic(Credentials.VIEWER, credentials.viewerPassword())));
        assertThat(viewerReads.status()).isEqualTo(200);
        Reply viewerActs = api.sendAsIs(jsonPost(retry, "{\"reason\":\"try\"}")
                .header("Authorization", Api.basic(Credentials.VIEWER, credentials.viewerPassword())));
        assertThat(viewerActs.status()).isEqualTo(403);
        Reply wrongPassword = api.sendAsIs(
                HttpRequest.newBuilder(overview).header("Authorization", Api.basic(Credentials.OPERATOR, "guess")));
        assertThat(wrongPassword.status()).isEqualTo(401);

        // A browser session: log in through the form, then POST with and without the CSRF token.
        BrowserSession browser = new BrowserSession();
        String loginPage =
                browser.send(HttpRequest.newBuilder(coordinator("/login"))).body();
        Matcher token = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(token.find()).as("the login form carries a CSRF token").isTrue();
        HttpResponse<String> login = browser.send(HttpRequest.newBuilder(coordinator("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of(
                        "username", Credentials.OPERATOR,
                        "password", credentials.operatorPassword(),
                        "_csrf", token.group(1))))));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).endsWith("/dashboard");
        assertThat(browser.send(HttpRequest.newBuilder(overview)).statusCode()).isEqualTo(200);

        HttpResponse<String> withoutToken = browser.send(HttpRequest.newBuilder(retry)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"forged page\"}")));
        assertThat(withoutToken.statusCode()).isEqualTo(403);
        HttpResponse<String> withToken = browser.send(HttpRequest.newBuilder(retry)
                .header("Content-Type", "application/json")
                .header("X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"from the page\"}")));
        // Unknown transaction: refused by the action itself, so it got past security.
        assertThat(withToken.statusCode()).isEqualTo(409);
        assertThat(api.auditLog().get(0).get("reason").asString()).isEqualTo("from the page");
        assertThat(api.auditLog())
                .extracting(entry -> entry.get("reason").asString())
                .doesNotContain("forged page", "try");
    }

    @Test
    void noSecretAppearsInAnyLogErrorOrMetric() throws IOException {
        api.transfer(BANK_A, alice, BANK_B, bob, "1.00");
        api.sendAsIs(jsonPost(coordinator("/api/transfers"), TRANSFER.formatted(alice, bob))
                .header("Authorization", "Bearer " + cluster.credentials().apiKey() + "0"));
        Credentials credentials = cluster.credentials();
        List<String> secrets = Stream.concat(
                        Stream.of(
                                credentials.apiKey(),
                                credentials.operatorPassword(),
                                credentials.viewerPassword(),
                                credentials.bankOperatorPassword()),
                        credentials.protocolSecrets().values().stream())
                .toList();

        StringBuilder everything = new StringBuilder();
        for (ServiceProcess service : cluster.all()) {
            everything.append(api.getText(service.url().resolve("/actuator/prometheus")));
            try (Stream<Path> logs = Files.list(service.dataDir().getParent())) {
                for (Path log : logs.filter(p -> p.getFileName().toString().endsWith(".log"))
                        .toList()) {
                    everything.append(Files.readString(log));
                }
            }
        }
        assertThat(everything.length()).isGreaterThan(1000);
        for (String secret : secrets) {
            assertThat(everything.toString()).doesNotContain(secret);
        }
    }

    /** Cookies kept by hand, as a browser would (java.net.CookieManager is unreliable for "localhost"). */
    private static final class BrowserSession {
        private final HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        private final Map<String, String> cookies = new LinkedHashMap<>();

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            if (!cookies.isEmpty()) {
                request.header(
                        "Cookie",
                        cookies.entrySet().stream()
                                .map(c -> c.getKey() + "=" + c.getValue())
                                .reduce((a, b) -> a + "; " + b)
                                .orElseThrow());
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int equals = pair.indexOf('=');
                String name = pair.substring(0, equals);
                String value = pair.substring(equals + 1);
                if (value.isEmpty()) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return response;
        }

        String cookie(String name) {
            return cookies.get(name);
        }
    }

    private URI coordinator(String path) {
        return cluster.coordinator().url().resolve(path);
    }

    private URI bank(String bank, String path) {
        return api.bankUrl(bank, path);
    }

    private byte[] secret(String bank) {
        return cluster.credentials().protocolSecrets().get(bank).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] prepareBody(String account, String amount) {
        return ("{\"operations\":[{\"account\":\"" + account + "\",\"type\":\"DEBIT\",\"amount\":\"" + amount + "\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> signed(byte[] secret, String path, byte[] body) {
        return ProtocolSignature.headers(ProtocolSignature.COORDINATOR, secret, "POST", path, body, Instant.now());
    }

    private static HttpRequest.Builder post(URI uri, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return request;
    }

    private static HttpRequest.Builder signedGet(URI uri, String keyId, byte[] secret, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        ProtocolSignature.headers(keyId, secret, "GET", path, new byte[0], Instant.now())
                .forEach(request::header);
        return request;
    }

    private static HttpRequest.Builder jsonPost(URI uri, String body) {
        return HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .reduce((a, b) -> a + "&" + b)
                .orElse("");
    }

    private void assertBalances(String aliceBalance, String bobBalance) {
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo(aliceBalance);
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo(bobBalance);
        assertThat(ledger.totalHeld()).isEqualByComparingTo("0");
    }
}
