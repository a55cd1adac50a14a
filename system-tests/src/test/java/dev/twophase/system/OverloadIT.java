package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A client sending far more than its rate limit: the excess is refused at once with 429 and Retry-After (never a
 * timeout, never a 5xx), and every transfer that was admitted completes, with the books exact afterwards.
 */
class OverloadIT extends AliceAndBobTest {

    private static final int PER_SECOND = 20;
    private static final int REQUESTS = 300;

    @Override
    protected List<String> clusterArgs() {
        return List.of("--twophase.security.limits.transfers-per-second=" + PER_SECOND);
    }

    @Test
    void aClientOverItsRateLimitGets429WithRetryAfterWhileAdmittedTransfersComplete() throws Exception {
        URI transfers = cluster.coordinator().url().resolve("/api/transfers");
        String body = "{\"fromBank\":\"bank-a\",\"fromAccount\":\"" + alice
                + "\",\"toBank\":\"bank-b\",\"toAccount\":\"" + bob + "\",\"amount\":\"0.10\"}";
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        List<String> admitted = new ArrayList<>();
        AtomicInteger refusalsWithRetryAfter = new AtomicInteger();
        long started = System.nanoTime();

        ExecutorService clients = Executors.newFixedThreadPool(24);
        List<Future<?>> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            sent.add(clients.submit(() -> {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(transfers)
                                .header("Content-Type", "application/json")
                                .header(
                                        "Authorization",
                                        "Bearer " + cluster.credentials().apiKey())
                                .timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger())
                        .incrementAndGet();
                if (response.statusCode() == 429
                        && response.headers().firstValue("Retry-After").isPresent()) {
                    refusalsWithRetryAfter.incrementAndGet();
                }
                if (response.statusCode() == 201) {
                    synchronized (admitted) {
                        admitted.add(response.body().replaceAll(".*\"transferId\":\"([^\"]+)\".*", "$1"));
                    }
                }
                return null;
            }));
        }
        for (Future<?> request : sent) {
            request.get();
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("overload: %d requests in %.1f s -> %s%n", REQUESTS, seconds, statuses);

        assertThat(statuses.keySet()).as("only 201 and 429").containsOnly(201, 429);
        assertThat(refusalsWithRetryAfter.get())
                .isEqualTo(statuses.get(429).get())
                .isPositive();
        // The limiter admits PER_SECOND a second (a burst of one period at the start).
        assertThat(admitted.size()).isPositive().isLessThanOrEqualTo((int) ((seconds + 2) * PER_SECOND));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String txId : admitted) {
                assertThat(api.fullyAcknowledged(txId)).isTrue();
            }
        });
        BigDecimal moved = new BigDecimal("0.10").multiply(BigDecimal.valueOf(admitted.size()));
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo(new BigDecimal("100.00").subtract(moved));
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo(moved);
        assertThat(ledger.totalHeld()).isEqualByComparingTo("0");
    }
}
