package dev.twophase.coordinator.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.VoteResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;

class MessageBatcherTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** A bank whose answers the test releases: each request waits at {@code open} until the test counts it down. */
    private final BlockingQueue<MessageBatch> received = new LinkedBlockingQueue<>();

    private volatile CountDownLatch open = new CountDownLatch(0);
    private volatile Function<MessageBatch, BatchReplies> answer = MessageBatcherTest::everyoneVotesYes;
    private MessageBatcher batcher;

    private MessageBatcher decisions;

    @AfterEach
    void close() {
        if (batcher != null) {
            batcher.close();
        }
        if (decisions != null) {
            decisions.close();
        }
    }

    /** A decision batcher holding each message {@code linger}, riding with a prepare batcher ({@link #batcher}). */
    private void batchersWithRiders(Duration linger) {
        decisions = new MessageBatcher("bank-a", "decision", this::bank, 256, 1, linger, null);
        batcher = new MessageBatcher("bank-a", "prepare", this::bank, 256, 1, Duration.ZERO, decisions);
    }

    private MessageBatcher batcher(int maxMessages, int maxInFlight) {
        batcher = new MessageBatcher("bank-a", "prepare", this::bank, maxMessages, maxInFlight);
        return batcher;
    }

    private BatchReplies bank(MessageBatch batch) {
        received.add(batch);
        try {
            if (!open.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new ResourceAccessException("the test never released the bank");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceAccessException("interrupted");
        }
        return answer.apply(batch);
    }

    private static BatchReplies everyoneVotesYes(MessageBatch batch) {
        return new BatchReplies(batch.messages().stream()
                .map(message -> BatchedReply.of(VoteResponse.yes(message.txId())))
                .toList());
    }

    private static BatchedMessage message(String txId) {
        return BatchedMessage.decision(txId, Decision.COMMIT);
    }

    private static List<String> txIds(MessageBatch batch) {
        return batch.messages().stream().map(BatchedMessage::txId).toList();
    }

    @Test
    void aMessageGoesOutAtOnceWhenASenderIsFree() throws Exception {
        batcher(256, 2);

        BatchedReply reply = batcher.send(message("tx-1")).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(reply.txId()).isEqualTo("tx-1");
        assertThat(txIds(received.take())).containsExactly("tx-1");
    }

    @Test
    void messagesThatQueueWhileEverySenderIsBusyTravelTogetherInTheNextRequest() throws Exception {
        open = new CountDownLatch(1);
        batcher(256, 2);
        CompletableFuture<BatchedReply> first = batcher.send(message("tx-1"));
        await().atMost(PATIENCE).until(() -> received.size() == 1);
        CompletableFuture<BatchedReply> second = batcher.send(message("tx-2"));
        await().atMost(PATIENCE).until(() -> received.size() == 2); // both senders are now waiting for the bank

        List<CompletableFuture<BatchedReply>> queued =
                List.of(batcher.send(message("tx-3")), batcher.send(message("tx-4")), batcher.send(message("tx-5")));
        open.countDown();

        CompletableFuture.allOf(first, second, queued.get(0), queued.get(1), queued.get(2))
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received.stream().map(MessageBatcherTest::txIds))
                .containsExactlyInAnyOrder(List.of("tx-1"), List.of("tx-2"), List.of("tx-3", "tx-4", "tx-5"));
        assertThat(queued.stream().map(reply -> reply.join().txId())).containsExactly("tx-3", "tx-4", "tx-5");
    }

    @Test
    void aBatchIsNeverLargerThanMaxMessages() throws Exception {
        open = new CountDownLatch(1);
        batcher(2, 1);
        CompletableFuture<BatchedReply> blocking = batcher.send(message("tx-1"));
        await().atMost(PATIENCE).until(() -> received.size() == 1);
        List<CompletableFuture<BatchedReply>> queued =
                List.of(batcher.send(message("tx-2")), batcher.send(message("tx-3")), batcher.send(message("tx-4")));
        open.countDown();

        CompletableFuture.allOf(blocking, queued.get(0), queued.get(1), queued.get(2))
                .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received.stream().map(MessageBatcherTest::txIds))
                .containsExactly(List.of("tx-1"), List.of("tx-2", "tx-3"), List.of("tx-4"));
    }

    @Test
    void aFailedRequestFailsEveryMessageItCarried() {
        ResourceAccessException noAnswer = new ResourceAccessException("connection reset");
        answer = batch -> {
            throw noAnswer;
        };
        batcher(256, 1);

        CompletableFuture<BatchedReply> reply = batcher.send(message("tx-1"));

        assertThat(reply)
                .failsWithin(PATIENCE)
                .withThrowableOfType(ExecutionException.class)
                .withCause(noAnswer);
    }

    @Test
    void anAnswerWithTheWrongNumberOfRepliesFailsEveryMessage() {
        answer = batch -> new BatchReplies(List.of());
        batcher(256, 1);

        CompletableFuture<BatchedReply> reply = batcher.send(message("tx-1"));

        assertThat(reply)
                .failsWithin(PATIENCE)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("answered 0 replies to 1 messages");
    }

    @Test
    void closingFailsTheMessagesNoSenderTookAndRefusesNewOnes() {
        open = new CountDownLatch(1);
        batcher(256, 1);
        batcher.send(message("tx-1"));
        await().atMost(PATIENCE).until(() -> received.size() == 1);
        CompletableFuture<BatchedReply> queued = batcher.send(message("tx-2"));

        batcher.close();

        assertThat(queued).failsWithin(PATIENCE);
        assertThat(batcher.send(message("tx-3")))
                .isCompletedExceptionally()
                .failsWithin(Duration.ZERO)
                .withThrowableThat()
                .withCauseInstanceOf(ResourceAccessException.class);
        open.countDown();
    }

    @Test
    void aSenderKeepsSendingAfterAFailedRequest() throws Exception {
        answer = batch -> {
            if (txIds(batch).contains("tx-1")) {
                throw new ResourceAccessException("reset");
            }
            return everyoneVotesYes(batch);
        };
        batcher(256, 1);

        assertThat(batcher.send(message("tx-1"))).failsWithin(PATIENCE);
        assertThat(batcher.send(message("tx-2"))
                        .get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)
                        .txId())
                .isEqualTo("tx-2");
    }

    @Test
    void waitingDecisionsRideInTheNextRequestThatCarriesAPrepare() throws Exception {
        batchersWithRiders(Duration.ofHours(1));
        CompletableFuture<BatchedReply> commit = decisions.send(message("tx-1"));
        CompletableFuture<BatchedReply> abort = decisions.send(BatchedMessage.decision("tx-2", Decision.ABORT));
        assertThat(received).isEmpty(); // the decisions linger

        CompletableFuture<BatchedReply> prepare = batcher.send(BatchedMessage.prepare("tx-3", List.of()));

        CompletableFuture.allOf(commit, abort, prepare).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(received.stream().map(MessageBatcherTest::txIds)).containsExactly(List.of("tx-3", "tx-1", "tx-2"));
        assertThat(List.of(prepare.join(), commit.join(), abort.join()))
                .extracting(BatchedReply::txId)
                .containsExactly("tx-3", "tx-1", "tx-2");
    }

    @Test
    void aDecisionWithNoPrepareToRideWithGoesOutAloneOnceItsLingerIsOver() throws Exception {
        Duration linger = Duration.ofMillis(200);
        batchersWithRiders(linger);
        long sent = System.nanoTime();

        BatchedReply reply = decisions.send(message("tx-1")).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - sent)).isGreaterThanOrEqualTo(linger);
        assertThat(reply.txId()).isEqualTo("tx-1");
        assertThat(received.stream().map(MessageBatcherTest::txIds)).containsExactly(List.of("tx-1"));
    }
}
