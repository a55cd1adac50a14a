package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.Postgres;
import dev.twophase.system.support.RandomTransfers;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What only a database server brings: the services' PostgreSQL stopped abruptly ({@code pg_ctlcluster 15 main stop -m
 * immediate}, a crash: WAL replayed at the next start) under load, and started again. While it is gone every service
 * reports DOWN and a transfer gets a prompt 503 problem (never a hang, never a 500); afterwards every transfer resolves,
 * what each client was told is what happened, and the books are exact.
 */
class PostgresOutageIT extends ClusterTest {

    private static final int CLIENTS = 8;
    /** Transfer wait (10 s) plus the pool's connection timeout (2 s), with room: no answer may take longer. */
    private static final Duration SLOWEST_ANSWER = Duration.ofSeconds(15);

    @Override
    protected Store store() {
        return Store.POSTGRESQL;
    }

    @AfterEach
    void serverBackWhateverHappened() {
        Postgres.ensureRunning();
    }

    @Test
    void whileTheDatabaseIsGoneTransfersGet503AndAfterItIsBackEveryTransferResolvesWithExactBooks() throws Exception {
        long seed = Long.getLong("outage.seed", System.nanoTime());
        System.out.printf("postgres outage: seed=%d (replay with -Doutage.seed=%d)%n", seed, seed);
        RandomTransfers transfers = new RandomTransfers(api, ledger);
        ExecutorService workers = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> clients = transfers.start(
                workers, CLIENTS, new Random(seed), Instant.now().plusSeconds(40));
        String payer = ledger.open(BANK_A, "payer", "10.00");
        String payee = ledger.open(BANK_B, "payee", "0.00");
        await().atMost(Duration.ofSeconds(30)).until(() -> transfers.answered(201) >= 50);

        Postgres.stopAbruptly();
        Instant stopped = Instant.now();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            for (ServiceProcess service : cluster.all()) {
                assertThat(health(service))
                        .as("%s while its database is gone", service.name())
                        .isEqualTo("DOWN");
            }
        });
        long started = System.nanoTime();
        Reply refused = api.transfer(BANK_A, payer, BANK_B, payee, "1.00");
        assertThat(refused.status()).as("%s", refused).isEqualTo(503);
        assertThat(refused.body().get("title")).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(SLOWEST_ANSWER);
        // The clients keep sending for a while against the dead database.
        await().atMost(Duration.ofSeconds(30)).until(() -> transfers.answered(503) >= 20);
        Duration outage = Duration.between(stopped, Instant.now());

        Postgres.start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (ServiceProcess service : cluster.all()) {
                assertThat(health(service))
                        .as("%s once its database is back", service.name())
                        .isEqualTo("UP");
            }
        });
        for (Future<?> client : clients) {
            client.get(120, TimeUnit.SECONDS); // a client fails on any answer but 201, 409, 202 or a 503 problem
        }
        workers.shutdown();

        RandomTransfers.Books books = transfers.settleAndCheckTheBooks();
        System.out.printf(
                "postgres outage summary: seed=%d outage=%dms transfers=%d commits=%d aborts=%d answers 201=%d 409=%d"
                        + " 202=%d 503=%d none=%d slowest-answer=%dms longest-in-doubt=%dms%n",
                seed,
                outage.toMillis(),
                books.transfers(),
                books.commits(),
                books.aborts(),
                transfers.answered(201),
                transfers.answered(409),
                transfers.answered(202),
                transfers.answered(503),
                transfers.answered(-1),
                transfers.slowestAnswerMillis(),
                books.longestInDoubt().toMillis());
        assertThat(transfers.slowestAnswerMillis()).isLessThan(SLOWEST_ANSWER.toMillis());
        assertThat(transfers.answered(-1)).as("the coordinator always answered").isZero();
        assertThat(books.commits()).isPositive();
        assertThat(ledger.balance(payer).balance())
                .as("the refused transfer moved nothing")
                .isEqualByComparingTo("10.00");
        assertThat(ledger.balance(payee).balance()).isEqualByComparingTo("0.00");
    }

    private String health(ServiceProcess service) {
        return api.get(service.url().resolve("/actuator/health")).text("status");
    }
}
