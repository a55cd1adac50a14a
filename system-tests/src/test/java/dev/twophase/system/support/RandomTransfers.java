package dev.twophase.system.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Reply;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;

/**
 * A workload for the fault tests: clients sending random cross-bank transfers between three accounts per bank, each
 * with its own Idempotency-Key, some of them bound to be refused (an unknown account, an overdraft) — and, when the
 * cluster has a third bank, one in three a transaction of three legs at three banks (one debit split between two
 * credits, POST /api/transactions), refused the same ways now and then; then, once
 * the faults are over, every transfer retried with its key until its answer is definite, and an exact check of the
 * books. Whatever the faults, an answer is one of 201, 409, 202 or — while the coordinator or its database cannot be
 * reached — 503 or no answer at all; anything else (a 500) fails the test.
 */
public final class RandomTransfers {

    public static final BigDecimal OPENING = new BigDecimal("1000.00");

    /**
     * What one transfer or transaction asked for (as legs; {@code asTransfer}: sent to POST /api/transfers, the first leg
     * the debit, the second the credit) and what the client was told (null: no definite answer yet).
     */
    public record Attempt(
            String key, List<Api.Leg> legs, boolean asTransfer, String answeredStatus, String transferId) {

        Attempt answered(String status, String id) {
            return new Attempt(key, legs, asTransfer, status, id);
        }
    }

    /** What the check of the books found. */
    public record Books(
            int transfers,
            int commits,
            int aborts,
            long retriedAfterNoAnswer,
            Duration longestInDoubt,
            int multiLegCommits,
            int multiLegAborts) {}

    /** Where transfers are sent: one coordinator, or each node of a coordinator cluster (a client picks one at random). */
    private final List<Api> apis;

    private final Api api;
    private final Map<String, String> accounts = new HashMap<>();
    private final List<String> ids;
    /** Each bank's accounts, by bank id (sorted). */
    private final Map<String, List<String>> accountsAt = new java.util.TreeMap<>();

    private final List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    private final AtomicLong slowestAnswerMillis = new AtomicLong();

    public RandomTransfers(Api api, Ledger ledger) {
        this(List.of(api), ledger);
    }

    /** Clients that send each transfer, and each retry of it, to one of {@code apis} at random. */
    public RandomTransfers(List<Api> apis, Ledger ledger) {
        this.apis = List.copyOf(apis);
        this.api = apis.get(0);
        for (String bank : api.bankIds()) {
            for (int i = 0; i < 3; i++) {
                String id = ledger.open(bank, "random", OPENING.toPlainString());
                accounts.put(id, bank);
                accountsAt.computeIfAbsent(bank, b -> new ArrayList<>()).add(id);
            }
        }
        this.ids = accounts.keySet().stream().sorted().toList();
    }

    /** Starts {@code clients} clients on {@code workers}, each sending transfers until {@code end}. */
    public List<Future<?>> start(ExecutorService workers, int clients, Random random, Instant end) {
        return start(workers, clients, random, () -> Instant.now().isBefore(end));
    }

    /** Starts {@code clients} clients on {@code workers}, each sending transfers while {@code going} says so. */
    public List<Future<?>> start(
            ExecutorService workers, int clients, Random random, java.util.function.BooleanSupplier going) {
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            long clientSeed = random.nextLong();
            running.add(workers.submit(() -> runClient(new Random(clientSeed), going)));
        }
        return running;
    }

    /** How many answers came with {@code status} (-1: none, the coordinator could not be reached). */
    public long answered(int status) {
        AtomicLong count = answers.get(status);
        return count == null ? 0 : count.get();
    }

    /** The longest any answer took, in milliseconds. */
    public long slowestAnswerMillis() {
        return slowestAnswerMillis.get();
    }

    /**
     * Once every process is back: retries every transfer without a definite answer (same key) until it has one, waits
     * until nothing is in doubt anywhere, and checks the books exactly: money conserved, every balance its opening
     * plus exactly its committed transfers, no holds, every client told what happened, every bank agreeing with the
     * coordinator on every transaction it has a record of.
     */
    public Books settleAndCheckTheBooks() throws Exception {
        ExecutorService retries = Executors.newFixedThreadPool(8);
        List<Future<Attempt>> settling = new ArrayList<>();
        List<Attempt> sent;
        synchronized (attempts) {
            sent = List.copyOf(attempts);
        }
        for (Attempt attempt : sent) {
            settling.add(
                    attempt.answeredStatus() != null
                            ? CompletableFuture.completedFuture(attempt)
                            : retries.submit(() -> settle(attempt)));
        }
        List<Attempt> settled = new ArrayList<>();
        for (Future<Attempt> attempt : settling) {
            settled.add(attempt.get(120, TimeUnit.SECONDS));
        }
        retries.shutdown();
        long unanswered = sent.stream().filter(a -> a.answeredStatus() == null).count();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String bank : accountsAt.keySet()) {
                        assertThat(api.inDoubt(bank)).as("in doubt at %s", bank).isEmpty();
                    }
                    for (Attempt attempt : settled) {
                        if (attempt.transferId() != null) {
                            assertThat(api.fullyAcknowledged(attempt.transferId()))
                                    .as(attempt.transferId())
                                    .isTrue();
                        }
                    }
                });

        Map<String, BigDecimal> expected = new HashMap<>();
        ids.forEach(id -> expected.put(id, OPENING));
        int commits = 0;
        int aborts = 0;
        int multiLegCommits = 0;
        int multiLegAborts = 0;
        for (Attempt attempt : settled) {
            if (attempt.transferId() == null) {
                continue; // refused as bad input (unknown account at a known bank is a protocol abort, not this)
            }
            String status = api.getTransaction(attempt.transferId()).text("status");
            // what the client was told is what happened
            assertThat(status).as("client answer for %s", attempt.transferId()).isEqualTo(attempt.answeredStatus());
            if ("COMMITTED".equals(status)) {
                commits++;
                multiLegCommits += attempt.asTransfer() ? 0 : 1;
                // Every leg, at every bank: all of them moved, or (below) none.
                for (Api.Leg leg : attempt.legs()) {
                    expected.merge(leg.account(), new BigDecimal(leg.amount()), BigDecimal::add);
                }
            } else {
                aborts++;
                multiLegAborts += attempt.asTransfer() ? 0 : 1;
            }
        }
        BigDecimal total = BigDecimal.ZERO;
        for (String id : ids) {
            var balance = api.balance(accounts.get(id), id);
            assertThat(balance.balance()).as("balance of %s", id).isEqualByComparingTo(expected.get(id));
            assertThat(balance.held()).as("held at %s", id).isEqualByComparingTo("0");
            total = total.add(balance.balance());
        }
        assertThat(total).isEqualByComparingTo(OPENING.multiply(BigDecimal.valueOf(ids.size())));
        return new Books(
                settled.size(),
                commits,
                aborts,
                unanswered,
                banksAgreeWithTheCoordinator(),
                multiLegCommits,
                multiLegAborts);
    }

    /** Every bank's state of every transaction it has a record of is the coordinator's; returns the longest in doubt. */
    private Duration banksAgreeWithTheCoordinator() {
        Duration longestInDoubt = Duration.ZERO;
        for (String bank : accountsAt.keySet()) {
            for (JsonNode tx : api.get(api.bankUrl(bank, "/2pc/transactions")).body()) {
                String txId = tx.get("txId").asString();
                Reply atCoordinator = api.getTransaction(txId);
                if (atCoordinator.status() == 404) {
                    continue; // another test's direct protocol message; this cluster serves only this test
                }
                String coordinatorStatus = atCoordinator.text("status");
                assertThat(tx.get("state").asString())
                        .as("%s at %s vs coordinator %s", txId, bank, coordinatorStatus)
                        .isEqualTo("COMMITTED".equals(coordinatorStatus) ? "COMMITTED" : "ABORTED");
                if (!tx.get("preparedAt").isNull() && !tx.get("decidedAt").isNull()) {
                    Duration inDoubt = Duration.between(
                            Instant.parse(tx.get("preparedAt").asString()),
                            Instant.parse(tx.get("decidedAt").asString()));
                    longestInDoubt = inDoubt.compareTo(longestInDoubt) > 0 ? inDoubt : longestInDoubt;
                }
            }
        }
        return longestInDoubt;
    }

    private void runClient(Random random, java.util.function.BooleanSupplier going) {
        int n = 0;
        while (going.getAsBoolean()) {
            String key = "random-" + Thread.currentThread().getId() + "-" + (n++) + "-" + random.nextInt(1_000_000);
            Attempt attempt =
                    accountsAt.size() >= 3 && random.nextInt(3) == 0 ? threeLegs(random, key) : transfer(random, key);
            if (attempt != null) {
                attempts.add(send(attempt));
            }
        }
    }

    /** A transfer between two of the accounts (null when it picked one account twice). */
    private Attempt transfer(Random random, String key) {
        String from = ids.get(random.nextInt(ids.size()));
        String to = ids.get(random.nextInt(ids.size()));
        int kind = random.nextInt(10);
        String toBank = accounts.get(to);
        if (kind == 0) {
            to = "ghost"; // an unknown account at a known bank: the bank votes NO
        } else if (from.equals(to)) {
            return null;
        }
        // Mostly small amounts; one in ten larger than any balance can be (an overdraft).
        BigDecimal amount = kind == 1 ? new BigDecimal("5000.00") : BigDecimal.valueOf(1 + random.nextInt(9999), 2);
        return new Attempt(
                key,
                List.of(
                        new Api.Leg(accounts.get(from), from, amount.negate().toPlainString()),
                        new Api.Leg(toBank, to, amount.toPlainString())),
                true,
                null,
                null);
    }

    /**
     * One account at each of three banks: one of them pays, the other two share the amount. One in ten pays a ghost
     * (the bank votes NO), one in ten overdraws (NO for insufficient funds).
     */
    private Attempt threeLegs(Random random, String key) {
        List<String> banks = new ArrayList<>(accountsAt.keySet());
        Collections.shuffle(banks, random);
        List<String> three = banks.subList(0, 3).stream()
                .map(bank -> accountsAt.get(bank).get(random.nextInt(3)))
                .toList();
        int kind = random.nextInt(10);
        BigDecimal amount = kind == 1 ? new BigDecimal("5000.00") : BigDecimal.valueOf(2 + random.nextInt(9998), 2);
        BigDecimal first =
                BigDecimal.valueOf(1 + random.nextInt(amount.movePointRight(2).intValue() - 1), 2);
        String firstPayee = kind == 0 ? "ghost" : three.get(1);
        return new Attempt(
                key,
                List.of(
                        new Api.Leg(banks.get(0), three.get(0), amount.negate().toPlainString()),
                        new Api.Leg(banks.get(1), firstPayee, first.toPlainString()),
                        new Api.Leg(
                                banks.get(2),
                                three.get(2),
                                amount.subtract(first).toPlainString())),
                false,
                null,
                null);
    }

    private Attempt send(Attempt attempt) {
        long started = System.nanoTime();
        Reply reply;
        Api node = apis.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(apis.size()));
        try {
            if (attempt.asTransfer()) {
                Api.Leg from = attempt.legs().get(0);
                Api.Leg to = attempt.legs().get(1);
                reply = node.transfer(from.bank(), from.account(), to.bank(), to.account(), to.amount(), attempt.key());
            } else {
                reply = node.transaction(attempt.legs(), attempt.key());
            }
        } catch (UncheckedIOException e) {
            // The coordinator was down or died mid-request: the client does not know. It will ask again later,
            // and meanwhile backs off as a real client would instead of spinning on a refused connection.
            count(-1, started);
            pause(Duration.ofMillis(250));
            return attempt;
        }
        count(reply.status(), started);
        String id = reply.text(attempt.asTransfer() ? "transferId" : "transactionId");
        return switch (reply.status()) {
            case 201, 409 -> attempt.answered(reply.text("status"), id);
            case 202 -> attempt.answered(null, id);
            case 503 -> {
                // The coordinator cannot reach its store (or is full): nothing definite; back off and ask again.
                assertThat(reply.body().get("title"))
                        .as("503 is a problem: %s", reply)
                        .isNotNull();
                pause(Duration.ofMillis(250));
                yield attempt;
            }
            default -> throw new AssertionError("unexpected answer " + reply + " to " + attempt);
        };
    }

    private void count(int status, long startedNanos) {
        answers.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        slowestAnswerMillis.accumulateAndGet(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos), Math::max);
    }

    /** Retries with the same key until the answer is definite: the first transfer, or a new one, never two. */
    private Attempt settle(Attempt attempt) {
        Attempt[] result = new Attempt[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    result[0] = send(attempt);
                    return result[0].answeredStatus() != null;
                });
        return result[0];
    }

    /** A back-off, or the time until the next fault: part of the workload, not a wait for anything to happen. */
    public static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
