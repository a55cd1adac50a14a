package dev.twophase.coordinator.participant;

import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.ProtocolPaths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.web.client.ResourceAccessException;

/**
 * Carries one bank's protocol messages of one kind (prepares, or decisions) in {@code POST /2pc/batch} requests.
 * Nothing waits to fill a batch: {@code maxInFlight} senders each take the next message, add everything else that
 * queued meanwhile (up to {@code maxMessages}) and make the request themselves. A message goes out at once while a
 * sender is free, and otherwise rides in the next request with everything that queued behind it. At low load a batch
 * is one message; under load, one HTTP exchange carries many.
 *
 * <p>The sender that takes a message also posts it: handing the request to another thread would wake a second thread
 * per batch, which at a moderate rate (small batches) is a large part of a message's cost.
 */
final class MessageBatcher implements AutoCloseable {

    /** Where a batch goes: one request to the bank, answered with one reply per message, in order. */
    @FunctionalInterface
    interface Channel {
        BatchReplies post(MessageBatch batch);
    }

    /** The bank answered the batch request itself with 404 or 405: it does not implement batching. */
    static final class BatchingUnsupported extends RuntimeException {
        BatchingUnsupported(String bank, Throwable cause) {
            super(bank + " does not accept " + ProtocolPaths.BATCH, cause);
        }
    }

    private record Queued(BatchedMessage message, CompletableFuture<BatchedReply> reply) {}

    static final int MAX_QUEUED = 10_000;

    private final String bank;
    private final Channel channel;
    private final int maxMessages;
    /**
     * Bounded: when a bank is far behind, a further message fails at once (as a bank that cannot be reached would)
     * instead of memory growing; the caller's usual failure handling (abort, or redelivery later) takes over.
     */
    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    /**
     * The senders: platform threads, on every JDK. A sender spends its life blocked on a socket; a platform thread
     * blocked there is woken by the kernel when the answer arrives, where a virtual thread needs the JDK's poller
     * thread to wake and then a carrier thread: two thread wake-ups per request instead of one.
     */
    private final List<Thread> senders = new ArrayList<>();

    private volatile boolean running = true;

    MessageBatcher(String bank, String kind, Channel channel, int maxMessages, int maxInFlight) {
        this.bank = bank;
        this.channel = channel;
        this.maxMessages = maxMessages;
        for (int i = 1; i <= maxInFlight; i++) {
            Thread sender = new Thread(this::sendBatches, "batch-" + bank + "-" + kind + "-" + i);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
    }

    /** Queues {@code message}; the future completes with the bank's reply or with why no reply came. */
    CompletableFuture<BatchedReply> send(BatchedMessage message) {
        CompletableFuture<BatchedReply> reply = new CompletableFuture<>();
        if (!running) {
            reply.completeExceptionally(new ResourceAccessException("the batcher for " + bank + " is closed"));
        } else if (!queue.offer(new Queued(message, reply))) {
            reply.completeExceptionally(new ResourceAccessException(
                    MAX_QUEUED + " messages already wait for " + bank + "; refusing more until it catches up"));
        }
        return reply;
    }

    private void sendBatches() {
        while (running) {
            try {
                Queued first = queue.take();
                List<Queued> batch = new ArrayList<>();
                batch.add(first);
                queue.drainTo(batch, maxMessages - 1);
                post(batch);
            } catch (InterruptedException e) {
                running = false;
            }
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
        senders.forEach(Thread::interrupt);
        // Never leave a caller waiting for ever on a message no sender will take.
        List<Queued> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(queued -> queued.reply.completeExceptionally(
                new ResourceAccessException("the batcher for " + bank + " is closed")));
    }
}
