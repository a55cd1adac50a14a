package dev.twophase.coordinator.participant;

import dev.twophase.concurrent.BlockingCallExecutors;
import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.ProtocolPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.springframework.web.client.ResourceAccessException;

/**
 * Carries one bank's protocol messages of one kind (prepares, or decisions) in {@code POST /2pc/batch} requests.
 * Nothing waits to fill a batch: a message goes out at once if fewer than {@code maxInFlight} requests to the bank
 * are open, and otherwise rides in the next request with everything that queued meanwhile. At low load a batch is
 * one message; under load, one HTTP exchange carries many.
 */
final class MessageBatcher implements AutoCloseable {

    /** The bank answered the batch request itself with 404 or 405: it does not implement batching. */
    static final class BatchingUnsupported extends RuntimeException {
        BatchingUnsupported(String bank, Throwable cause) {
            super(bank + " does not accept " + ProtocolPaths.BATCH, cause);
        }
    }

    private record Queued(BatchedMessage message, CompletableFuture<BatchedReply> reply) {}

    private final String bank;
    static final int MAX_QUEUED = 10_000;

    private final BatchChannel channel;
    private final ExecutorService executor;
    private final int maxMessages;
    private final Semaphore inFlight;
    /**
     * Bounded: when a bank is far behind, a further message fails at once (as a bank that cannot be reached would)
     * instead of memory growing; the caller's usual failure handling (abort, or redelivery later) takes over.
     */
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>(MAX_QUEUED);

    private final Thread sender;
    private volatile boolean running = true;

    MessageBatcher(String bank, String kind, BatchChannel channel, int maxMessages, int maxInFlight) {
        this.bank = bank;
        this.channel = channel;
        // Its own threads, at most one per open request: on the callers' executor, callers blocked on replies could
        // take every thread and leave the requests that would answer them queued behind themselves.
        this.executor = BlockingCallExecutors.create("batch-" + bank + "-" + kind, maxInFlight, maxInFlight);
        this.maxMessages = maxMessages;
        this.inFlight = new Semaphore(maxInFlight);
        this.sender = new Thread(this::sendBatches, "batch-" + bank + "-" + kind);
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues {@code message}; the future completes with the bank's reply or with why no reply came. */
    CompletableFuture<BatchedReply> send(BatchedMessage message) {
        CompletableFuture<BatchedReply> reply = new CompletableFuture<>();
        if (!queue.offer(new Queued(message, reply))) {
            reply.completeExceptionally(new ResourceAccessException(
                    MAX_QUEUED + " messages already wait for " + bank + "; refusing more until it catches up"));
        }
        return reply;
    }

    private void sendBatches() {
        while (running) {
            try {
                Queued first = queue.take();
                inFlight.acquire();
                List<Queued> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, maxMessages - 1);
                dispatch(batch);
            } catch (InterruptedException e) {
                running = false;
            }
        }
    }

    private void dispatch(List<Queued> batch) {
        try {
            executor.execute(() -> {
                try {
                    post(batch);
                } finally {
                    inFlight.release();
                }
            });
        } catch (RuntimeException refused) {
            // The executor is shutting down: never leave a caller waiting for ever.
            inFlight.release();
            batch.forEach(queued -> queued.reply.completeExceptionally(refused));
        }
    }

    private void post(List<Queued> batch) {
        try {
            BatchReplies answer = channel.post(
                    new MessageBatch(batch.stream().map(Queued::message).toList()));
            List<BatchedReply> replies = answer.replies();
            if (replies.size() != batch.size()) {
                throw new IllegalStateException(
                        bank + " answered " + replies.size() + " replies to " + batch.size() + " messages");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).reply.complete(replies.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(queued -> queued.reply.completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        executor.shutdownNow();
    }
}
