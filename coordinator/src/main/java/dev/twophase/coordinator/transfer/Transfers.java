package dev.twophase.coordinator.transfer;

import dev.twophase.coordinator.cluster.ClusterMembership;
import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TwoPhaseCommit;
import dev.twophase.protocol.TransferStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Starts transfers and reports their outcome. A transfer is logged before any bank hears of it; with an
 * Idempotency-Key, a retry finds the transfer the first request started instead of moving money again.
 */
@Service
public class Transfers {

    private static final Logger log = LoggerFactory.getLogger(Transfers.class);

    private final TransactionLog transactionLog;
    private final TwoPhaseCommit twoPhaseCommit;
    private final Duration wait;
    private final Clock clock;
    /** Transfers whose decision is being made in this process, so a retry can wait for the same outcome. */
    private final Map<String, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();

    private final Duration retention;
    private final ClusterMembership membership;

    /** How often a retry waiting for a transfer that another node is deciding reads the shared log. */
    private static final Duration OTHER_NODE_POLL = Duration.ofMillis(20);

    Transfers(
            TransactionLog transactionLog,
            TwoPhaseCommit twoPhaseCommit,
            ClusterMembership membership,
            CoordinatorProperties properties,
            Clock clock) {
        this.membership = membership;
        this.transactionLog = transactionLog;
        this.twoPhaseCommit = twoPhaseCommit;
        this.wait = properties.transferWait();
        this.retention = properties.retention().period();
        this.clock = clock;
    }

    /**
     * Runs the transfer, or finds the one this idempotency key started, and waits for its decision up to the
     * configured transfer wait; past that the outcome is PENDING. Returns the outcome with the transaction as the log
     * holds it (as of the decision, or later).
     *
     * @throws IdempotencyKeyReused if {@code idempotencyKey} was used for a different transfer
     * @throws TransferNotRecorded if the log could not record the transfer (nothing happened)
     */
    public Submitted submit(Transfer transfer, String idempotencyKey) {
        String fingerprint = TransferFingerprint.of(transfer);
        if (idempotencyKey != null) {
            Optional<TransactionRecord> earlier = transactionLog.findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return asLogged(replay(earlier.get(), fingerprint, idempotencyKey));
            }
        }
        if (!membership.holdsLease()) {
            // Cut off from the cluster's database (or just back from a pause): another node may be taking this one's
            // transactions over. New work goes elsewhere until the lease is renewed.
            throw new TransferNotRecorded(new IllegalStateException(
                    "this coordinator node's lease has lapsed; another node of the cluster can take the transfer"));
        }
        String txId = TransferIds.next();
        Instant createdAt = clock.instant();
        Owner owner;
        try {
            owner = transactionLog.begin(txId, transfer, idempotencyKey, fingerprint, createdAt);
        } catch (DuplicateKeyException raced) {
            // Another request with the same key began first.
            return asLogged(replay(
                    transactionLog.findByIdempotencyKey(idempotencyKey).orElseThrow(), fingerprint, idempotencyKey));
        } catch (DataAccessException e) {
            throw new TransferNotRecorded(e);
        }
        CompletableFuture<Outcome> outcome = twoPhaseCommit.run(txId, transfer);
        inFlight.put(txId, outcome);
        outcome.whenComplete((result, failure) -> inFlight.remove(txId));
        Outcome result = await(txId, outcome);
        if (result.decided() == null) {
            return asLogged(result);
        }
        // The deciding thread said what it wrote: the answer is built from that instead of read back from the log.
        return new Submitted(
                result, DecidedRecord.of(txId, transfer, idempotencyKey, fingerprint, createdAt, owner, result));
    }

    private Submitted asLogged(Outcome outcome) {
        return new Submitted(outcome, transactionLog.find(outcome.txId()).orElseThrow());
    }

    public Optional<TransactionRecord> find(String txId) {
        return transactionLog.find(txId);
    }

    /**
     * Whether {@code txId} names a transfer begun longer ago than the retention period: if the log has no record of it,
     * it ended and was deleted (retention never deletes one that has not ended).
     */
    public boolean isPastRetention(String txId) {
        return TransferIds.begunAt(txId)
                .map(begun -> begun.isBefore(clock.instant().minus(retention)))
                .orElse(false);
    }

    /** How long an ended transfer is kept ({@code twophase.retention.period}). */
    public Duration retention() {
        return retention;
    }

    private Outcome replay(TransactionRecord earlier, String fingerprint, String idempotencyKey) {
        if (!earlier.requestHash().equals(fingerprint)) {
            throw new IdempotencyKeyReused(idempotencyKey);
        }
        CompletableFuture<Outcome> running = inFlight.get(earlier.txId());
        if (running != null) {
            return await(earlier.txId(), running);
        }
        // Being decided by another node of the cluster (or by a run of this one that is gone): wait for the decision
        // in the shared log, up to the same wait as the first request.
        long deadline = System.nanoTime() + wait.toNanos();
        TransactionRecord current = transactionLog.findDurable(earlier.txId()).orElse(earlier);
        while (current.state().decision().isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(OTHER_NODE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = transactionLog.findDurable(earlier.txId()).orElse(current);
        }
        return new Outcome(current.txId(), current.state().transferStatus(), current.reason());
    }

    private Outcome await(String txId, CompletableFuture<Outcome> outcome) {
        try {
            return outcome.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new Outcome(txId, TransferStatus.PENDING, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(txId, TransferStatus.PENDING, null);
        } catch (ExecutionException e) {
            // No decision is durable: the truthful answer is PENDING. The orphan sweeper aborts it shortly.
            log.error("tx={} failed before a decision was logged", txId, e.getCause());
            return new Outcome(txId, TransferStatus.PENDING, null);
        }
    }
}
