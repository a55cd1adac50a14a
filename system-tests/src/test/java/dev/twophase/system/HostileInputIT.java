package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api.Reply;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of malformed and hostile transfer, transaction and account requests from a seeded generator (the seed is printed; set
 * {@code -Dhostile.seed=N} to replay): every answer is a 4xx problem ({@code application/problem+json}), a 400 names
 * the field, nothing answers 5xx, and afterwards every balance is as it was and no account was opened.
 */
class HostileInputIT extends AliceAndBobTest {

    private static final int TRANSFERS = 2000;
    private static final int TRANSACTIONS = 1000;
    private static final int ACCOUNTS = 1000;

    private final long seed = Long.getLong("hostile.seed", System.nanoTime());
    private final Random random = new Random(seed);

    @Test
    void everyHostileRequestGetsA4xxProblemAndChangesNothing() {
        System.out.println("hostile input: seed=" + seed + " (replay with -Dhostile.seed=" + seed + ")");
        int accountsBefore = accountCount(BANK_A) + accountCount(BANK_B);
        List<String> failures = new ArrayList<>();

        for (int i = 0; i < TRANSFERS; i++) {
            check("transfer", hostileTransfer(), failures);
        }
        for (int i = 0; i < TRANSACTIONS; i++) {
            check("transaction", hostileTransaction(), failures);
        }
        for (int i = 0; i < ACCOUNTS; i++) {
            // At bank-a, where alice's account exists (one kind of hostile request tries to open it again).
            check("account", hostile(api.bankUrl(BANK_A, "/api/accounts"), hostileAccount(), null), failures);
        }

        assertThat(failures).as("seed " + seed).isEmpty();
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("0.00");
        assertThat(ledger.totalHeld()).isEqualByComparingTo("0");
        assertThat(accountCount(BANK_A) + accountCount(BANK_B)).isEqualTo(accountsBefore);
    }

    private void check(String kind, Attempt attempt, List<String> failures) {
        Reply reply = api.sendAsIs(attempt.request());
        int status = reply.status();
        boolean problem = reply.body().has("status") && reply.body().has("title");
        boolean namesField = status != 400
                || (reply.body().has("field") && !reply.text("field").isBlank());
        if (status < 400 || status >= 500 || !problem || !namesField) {
            failures.add(kind + " " + attempt.description() + " -> " + status + " " + reply.body());
        }
    }

    /** A request that must be refused: each is invalid in at least one way, never a valid transfer. */
    private Attempt hostileTransfer() {
        URI transfers = cluster.coordinator().url().resolve("/api/transfers");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fromBank", BANK_A);
        body.put("fromAccount", alice);
        body.put("toBank", BANK_B);
        body.put("toAccount", bob);
        body.put("amount", "1.00");
        String key = cluster.credentials().apiKey();
        return switch (random.nextInt(12)) {
            case 0 -> corrupt(body, "amount", pick(badAmounts()), transfers, key);
            case 1 -> corrupt(body, pick("fromBank", "toBank"), pick(badBanks()), transfers, key);
            case 2 -> corrupt(body, pick("fromAccount", "toAccount"), pick(badIds()), transfers, key);
            case 3 -> {
                body.remove(pick("fromBank", "fromAccount", "toBank", "toAccount", "amount"));
                yield hostile(transfers, json(body), key);
            }
            case 4 -> {
                body.put(pick("memo", "fee", "__proto__", "amount2", "FROMBANK"), pick(1, "x", List.of(), Map.of()));
                yield hostile(transfers, json(body), key);
            }
            case 5 -> {
                body.put("toBank", BANK_A);
                body.put("toAccount", alice);
                yield hostile(transfers, json(body), key);
            }
            case 6 -> hostile(transfers, pick(malformedJson()), key);
            case 7 -> hostile(transfers, json(body) + " ".repeat(17_000), key); // too large
            case 8 ->
                new Attempt(
                        HttpRequest.newBuilder(transfers)
                                .header(
                                        "Content-Type",
                                        pick("text/plain", "application/xml", "application/x-www-form-urlencoded"))
                                .header("Authorization", "Bearer " + key)
                                .POST(HttpRequest.BodyPublishers.ofString(json(body))),
                        "content type");
            case 9 ->
                new Attempt(
                        HttpRequest.newBuilder(transfers)
                                .header("Content-Type", "application/json")
                                .header(
                                        "Authorization",
                                        pick("Bearer ", "Bearer " + key.substring(1), "Basic Zm9vOmJhcg==", "x"))
                                .POST(HttpRequest.BodyPublishers.ofString(json(body))),
                        "bad credentials");
            case 10 ->
                corrupt(body, "amount", pick(1e300, -5, 0, true, List.of("1.00"), Map.of("v", 1)), transfers, key);
            default -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(transfers)
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + key)
                        .header("Idempotency-Key", pick("", "k".repeat(300)))
                        .POST(HttpRequest.BodyPublishers.ofString(json(body)));
                yield new Attempt(request, "bad Idempotency-Key");
            }
        };
    }

    /** A POST /api/transactions that must be refused: each is invalid in at least one way. */
    private Attempt hostileTransaction() {
        URI transactions = cluster.coordinator().url().resolve("/api/transactions");
        List<Map<String, Object>> legs = new ArrayList<>();
        legs.add(leg(BANK_A, alice, "-1.00"));
        legs.add(leg(BANK_B, bob, "0.60"));
        legs.add(leg(BANK_A, "carol", "0.40"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("legs", legs);
        String key = cluster.credentials().apiKey();
        Map<String, Object> some = legs.get(random.nextInt(legs.size()));
        switch (random.nextInt(11)) {
            case 0 -> some.put("amount", pick(badLegAmounts()));
            case 1 -> some.put("bank", pick(badBanks()));
            case 2 -> some.put("account", pick(badIds()));
            case 3 -> some.remove(pick("bank", "account", "amount"));
            case 4 ->
                (random.nextBoolean() ? some : body)
                        .put(pick("memo", "currency", "__proto__", "Amount"), pick(1, "x", List.of(), Map.of()));
            case 5 -> some.put("amount", pick("2.00", "-2.00", "0.01", "-0.41"));
            case 6 -> body.put("legs", pick(List.of(), List.of(leg(BANK_A, alice, "-1.00")), seventeenLegs()));
            case 7 -> legs.get(2).put("account", alice); // bank-a/alice twice
            case 8 -> body.put("legs", pick("legs", 5, List.of("x"), Map.of("bank", BANK_A), List.of(1, 2)));
            case 9 -> {
                return hostile(transactions, pick(malformedJson()), key);
            }
            default -> {
                return hostile(transactions, json(body), null);
            }
        }
        return hostile(transactions, json(body), key);
    }

    private static Map<String, Object> leg(String bank, String account, String amount) {
        Map<String, Object> leg = new LinkedHashMap<>();
        leg.put("bank", bank);
        leg.put("account", account);
        leg.put("amount", amount);
        return leg;
    }

    private List<Map<String, Object>> seventeenLegs() {
        List<Map<String, Object>> legs = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            legs.add(leg(BANK_A, "leg-" + i, i == 0 ? "-16.00" : "1.00"));
        }
        return legs;
    }

    /** What no leg's amount may be, debit or credit. */
    private Object[] badLegAmounts() {
        return new Object[] {
            "0",
            "0.00",
            "-0.00",
            "1.001",
            "-0.005",
            "1e3",
            "NaN",
            "",
            " ",
            "1,00",
            "+1",
            ".5",
            "-",
            "--1",
            "10000000000.00",
            "-10000000000.00",
            "9".repeat(40),
            "١٢",
            "<script>",
            5,
            -1.5,
            true,
            List.of(),
            Map.of()
        };
    }

    private String hostileAccount() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", "acct-" + random.nextInt(1_000_000));
        body.put("initialBalance", "10.00");
        return switch (random.nextInt(6)) {
            case 0 -> {
                body.put("initialBalance", pick(badBalances()));
                yield json(body);
            }
            case 1 -> {
                body.put("id", pick(badIds()));
                yield json(body);
            }
            case 2 -> {
                body.remove(pick("id", "initialBalance"));
                yield json(body);
            }
            case 3 -> {
                body.put(pick("owner", "held", "balance"), "1.00");
                yield json(body);
            }
            case 4 -> pick(malformedJson());
            default -> {
                body.put("id", alice); // exists already: 409
                yield json(body);
            }
        };
    }

    private Attempt corrupt(Map<String, Object> body, String field, Object value, URI uri, String key) {
        body.put(field, value);
        return hostile(uri, json(body), key);
    }

    private Attempt hostile(URI uri, String body, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return new Attempt(request, body.length() > 200 ? body.substring(0, 200) + "…" : body);
    }

    private record Attempt(HttpRequest.Builder request, String description) {}

    private Object[] badAmounts() {
        return new Object[] {
            "0",
            "0.00",
            "-1.00",
            "-0.01",
            "1.001",
            "0.005",
            "1e3",
            "1E+2",
            "NaN",
            "Infinity",
            "",
            " ",
            "1,00",
            "1.0.0",
            "١٢",
            "10000000000.00",
            "99999999999999999999.99",
            "0x10",
            "+1",
            ".5",
            "5.",
            "1 000",
            "null",
            "--1",
            "9".repeat(40),
            "1." + "0".repeat(4999) + "1",
            "\u0000",
            "<script>",
            "1; DROP TABLE accounts"
        };
    }

    /** What no opening balance may be (zero and large balances are fine, unlike for a transfer). */
    private Object[] badBalances() {
        return new Object[] {
            "-1.00",
            "-0.01",
            "1.001",
            "1e3",
            "NaN",
            "",
            " ",
            "1,00",
            "١٢",
            "99999999999999999999.99",
            "0x10",
            "+1",
            ".5",
            "9".repeat(40),
            "1." + "0".repeat(4999) + "1",
            "<script>",
            5,
            1.5,
            true,
            List.of(),
            Map.of()
        };
    }

    private Object[] badBanks() {
        return new Object[] {"", "bank-c", "BANK-A", "bank a", "../bank-a", "b".repeat(65), "bank-a\u0000", "💰", 7};
    }

    private Object[] badIds() {
        return new Object[] {
            "", " ", "a b", "a/b", "../../etc/passwd", "x".repeat(65), "ä", "💰", "a\nb", "'; --", "%00", 5, true
        };
    }

    private String[] malformedJson() {
        return new String[] {
            "",
            "{",
            "}",
            "[]",
            "null",
            "\"text\"",
            "{\"fromBank\":}",
            "{'fromBank':'bank-a'}",
            "{\"a\":1,}",
            "\u0000\u0001",
            "{\"amount\":\"1.00\"",
            "[{\"fromBank\":\"bank-a\"}]",
            "{\"fromBank\":\"bank-a\"}}"
        };
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private static String json(Map<String, Object> body) {
        StringBuilder out = new StringBuilder("{");
        body.forEach((key, value) -> {
            if (out.length() > 1) {
                out.append(',');
            }
            out.append(quote(key)).append(':').append(value(value));
        });
        return out.append('}').toString();
    }

    private static String value(Object value) {
        if (value instanceof String text) {
            return quote(text);
        }
        if (value instanceof List<?> list) {
            return list.stream()
                    .map(HostileInputIT::value)
                    .reduce((a, b) -> a + "," + b)
                    .map(s -> "[" + s + "]")
                    .orElse("[]");
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
                    .append(quote(k.toString()))
                    .append(':')
                    .append(value(v)));
            return out.append('}').toString();
        }
        return String.valueOf(value);
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    private int accountCount(String bank) {
        return api.get(api.bankUrl(bank, "/api/accounts")).body().size();
    }
}
