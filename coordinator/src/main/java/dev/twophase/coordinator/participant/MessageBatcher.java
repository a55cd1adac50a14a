package dev.twophase.coordinator.participant;

import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.ProtocolPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.springframework.web.client.ResourceAccessException;

/**
 * Carries one bank's protocol messages of one kind (prepares, or decisions) in {@code POST /2pc/batch} requests.
 * {@code maxInFlight} senders each take the next message, add everything else that queued meanwhile (up to {@code
 * maxMessages}) and make the request themselves. A prepare goes out at once while a sender is free, and otherwise rides
 * in the next request with everything that queued behind it: at low load a batch is one message, under load one HTTP
 * exchange carries many.
 *
 * <p>Decisions may wait: a decision batcher holds each message up to {@code linger}, and meanwhile the prepare
 * batcher for the same bank takes it along ({@code riders}) in the next request it makes. Phase 2 is off the
 * client's path, so a few milliseconds there cost the client nothing, while each decision that rides spares a request,
 * a thread wake-up on both sides and, at the bank, usually a group commit of its own.
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
    private final LingeringQueue<Queued> queue;
    /** Another batcher for the same bank whose queued messages travel in this one's requests; or null. */
    private final MessageBatcher riders;
    /**
     * The senders: platform threads, on every JDK. A sender spends its life blocked on a socket; a platform thread
     * blocked there is woken by the kernel when the answer arrives, where a virtual thread needs the JDK's poller
     * thread to wake and then a carrier thread: two thread wake-ups per request instead of one.
     */
    private final List<Thread> senders = new ArrayList<>();

    private volatile boolean running = true;

    MessageBatcher(String bank, String kind, Channel channel, int maxMessages, int maxInFlight) {
        this(bank, kind, channel, maxMessages, maxInFlight, Duration.ZERO, null);
    }

    /**
     * @param linger how long a message may wait for a batch to ride in before a sender of this batcher sends it
     * @param riders whose queued messages join this batcher's requests (null: none)
     */
    MessageBatcher(
            String bank,
            String kind,
            Channel channel,
            int maxMessages,
            int maxInFlight,
            Duration linger,
            MessageBatcher riders) {
        this.bank = bank;
        this.channel = channel;
        this.maxMessages = maxMessages;
        this.queue = new LingeringQueue<>(MAX_QUEUED, maxMessages, linger);
        this.riders = riders;
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
                List<Queued> batch = queue.takeBatch();
                if (riders != null) {
                    riders.queue.drainTo(batch, maxMessages - batch.size());
                }
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
        queue.drainAll()
                .forEach(queued -> queued.reply.completeExceptionally(
                        new ResourceAccessException("the batcher for " + bank + " is closed")));
    }
}
