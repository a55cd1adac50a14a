package dev.twophase.coordinator.participant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LingeringQueueTest {

    private static final Duration FOR_EVER = Duration.ofHours(1);

    @Test
    void withoutALingerATakerWaitingOnAnEmptyQueueGetsTheFirstItemAtOnce() {
        LingeringQueue<String> queue = new LingeringQueue<>(10, 10, Duration.ZERO);
        CompletableFuture<List<String>> taken = takeInTheBackground(queue);
        assertThat(taken).isNotDone();

        queue.offer("a");

        assertThat(taken.orTimeout(10, TimeUnit.SECONDS).join()).containsExactly("a");
    }

    @Test
    void aBatchIsNotTakenBeforeItsOldestItemHasLingered() throws Exception {
        Duration linger = Duration.ofMillis(200);
        LingeringQueue<String> queue = new LingeringQueue<>(10, 10, linger);
        long offered = System.nanoTime();
        queue.offer("a");
        queue.offer("b");

        List<String> batch = queue.takeBatch();

        assertThat(Duration.ofNanos(System.nanoTime() - offered)).isGreaterThanOrEqualTo(linger);
        assertThat(batch).containsExactly("a", "b");
    }

    @Test
    void aWholeBatchIsTakenWithoutWaitingForTheLinger() {
        LingeringQueue<String> queue = new LingeringQueue<>(10, 3, FOR_EVER);
        CompletableFuture<List<String>> taken = takeInTheBackground(queue);
        queue.offer("a");
        queue.offer("b");
        assertThat(taken).isNotDone();

        queue.offer("c");
        queue.offer("d");

        assertThat(taken.orTimeout(10, TimeUnit.SECONDS).join()).containsExactly("a", "b", "c");
        assertThat(queue.size()).isEqualTo(1);
    }

    @Test
    void drainingTakesLingeringItemsAtOnceOldestFirstAndNoMoreThanAsked() {
        LingeringQueue<String> queue = new LingeringQueue<>(10, 10, FOR_EVER);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");
        List<String> batch = new ArrayList<>(List.of("prepare"));

        queue.drainTo(batch, 2);

        assertThat(batch).containsExactly("prepare", "a", "b");
        assertThat(queue.drainAll()).containsExactly("c");
    }

    @Test
    void aFullQueueRefusesMore() {
        LingeringQueue<String> queue = new LingeringQueue<>(2, 10, FOR_EVER);

        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isFalse();
        assertThat(queue.drainAll()).containsExactly("a", "b");
    }

    @Test
    void whatABatchLeftBehindIsTakenByTheNextTakerWithoutANewOffer() throws Exception {
        LingeringQueue<String> queue = new LingeringQueue<>(10, 2, Duration.ZERO);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        assertThat(queue.takeBatch()).containsExactly("a", "b");
        assertThat(takeInTheBackground(queue).orTimeout(10, TimeUnit.SECONDS).join())
                .containsExactly("c");
    }

    private static CompletableFuture<List<String>> takeInTheBackground(LingeringQueue<String> queue) {
        CompletableFuture<List<String>> taken = new CompletableFuture<>();
        Thread taker = new Thread(() -> {
            try {
                taken.complete(queue.takeBatch());
            } catch (InterruptedException e) {
                taken.completeExceptionally(new CompletionException(e));
            }
        });
        taker.setDaemon(true);
        taker.start();
        return taken;
    }
}
