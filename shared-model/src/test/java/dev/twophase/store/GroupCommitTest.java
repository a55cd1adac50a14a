package dev.twophase.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    /** A store that records what each committed batch held, and can be held at commit or force. */
    private static final class RecordingStore implements GroupCommit.Store {
        final List<List<String>> committedBatches = Collections.synchronizedList(new ArrayList<>());
        final List<String> current = new ArrayList<>();
        volatile CountDownLatch holdCommit = new CountDownLatch(0);
        volatile CountDownLatch holdForce = new CountDownLatch(0);
        final CountDownLatch commitReached = new CountDownLatch(1);
        volatile boolean failCommit;
        int forces;

        @Override
        public void inOneTransaction(Runnable batch) {
            current.clear();
            batch.run();
            commitReached.countDown();
            await(holdCommit);
            if (failCommit) {
                throw new IllegalStateException("disk full");
            }
            committedBatches.add(List.copyOf(current));
        }

        @Override
        public <T> T isolated(Supplier<T> write) {
            int mark = current.size();
            try {
                return write.get();
            } catch (RuntimeException e) {
                current.subList(mark, current.size()).clear();
                throw e;
            }
        }

        @Override
        public int writeOut(boolean force) {
            if (force) {
                await(holdForce);
                forces++;
                return 1;
            }
            return 0;
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final RecordingStore store = new RecordingStore();
    private final ExecutorService callers = Executors.newFixedThreadPool(16);
    private GroupCommit group;

    @AfterEach
    void stop() {
        store.holdCommit.countDown();
        store.holdForce.countDown();
        callers.shutdownNow();
        if (group != null) {
            group.close();
        }
    }

    @Test
    void writesThatQueueWhileABatchCommitsShareTheNextCommit() throws Exception {
        group = new GroupCommit("test", store, true, 64, 1000);
        store.holdCommit = new CountDownLatch(1);
        Future<String> first = callers.submit(() -> group.write(() -> append("first")));
        store.commitReached.await();
        List<Future<String>> others = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = "w" + i;
            others.add(callers.submit(() -> group.write(() -> append(id))));
        }
        await().until(() -> queued() == 10);
        store.holdCommit.countDown();

        assertThat(first.get()).isEqualTo("first");
        for (Future<String> other : others) {
            assertThat(other.get()).startsWith("w");
        }
        assertThat(store.committedBatches).hasSize(2);
        assertThat(store.committedBatches.get(1)).hasSize(10);
        assertThat(group.writes()).isEqualTo(11);
        assertThat(group.commits()).isEqualTo(2);
        assertThat(group.forces()).isEqualTo(2);
    }

    @Test
    void aWriteThatThrowsIsUndoneAloneAndItsCallerGetsTheException() throws Exception {
        group = new GroupCommit("test", store, false, 64, 1000);
        store.holdCommit = new CountDownLatch(1);
        Future<String> first = callers.submit(() -> group.write(() -> append("first")));
        store.commitReached.await();
        Future<String> good = callers.submit(() -> group.write(() -> append("good")));
        Future<String> bad = callers.submit(() -> group.write(() -> {
            append("half-done");
            throw new IllegalArgumentException("refused");
        }));
        await().until(() -> queued() == 2);
        store.holdCommit.countDown();

        assertThat(first.get()).isEqualTo("first");
        assertThat(good.get()).isEqualTo("good");
        assertThatThrownBy(bad::get).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(store.committedBatches.get(1)).containsExactly("good");
        assertThat(group.forces()).isZero();
    }

    @Test
    void whenTheCommitFailsNoCallerIsToldItsWriteIsDurable() {
        group = new GroupCommit("test", store, true, 64, 1000);
        store.failCommit = true;

        assertThatThrownBy(() -> group.write(() -> append("lost")))
                .isInstanceOf(GroupCommit.BatchNotDurable.class)
                .hasRootCauseMessage("disk full");
        assertThat(group.forces()).isZero();
    }

    @Test
    void callersAreReleasedOnlyAfterTheForce() throws Exception {
        group = new GroupCommit("test", store, true, 64, 1000);
        store.holdForce = new CountDownLatch(1);
        CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> group.write(() -> append("x")), callers);
        await().until(() -> store.committedBatches.size() == 1);

        assertThat(caller).isNotDone();
        store.holdForce.countDown();
        assertThat(caller.get()).isEqualTo("x");
    }

    @Test
    void aWriteInsideAWriteJoinsIt() {
        group = new GroupCommit("test", store, false, 64, 1000);

        String result = group.write(() -> append("outer") + group.write(() -> append("inner")));

        assertThat(result).isEqualTo("outerinner");
        assertThat(store.committedBatches).containsExactly(List.of("outer", "inner"));
    }

    @Test
    void aDeferredWriteRidesInTheNextBatchAndItsFutureCompletesOnceThatBatchIsDurable() throws Exception {
        group = new GroupCommit("test", store, true, 64, 1000);
        store.holdCommit = new CountDownLatch(1);
        Future<String> first = callers.submit(() -> group.write(() -> append("first")));
        store.commitReached.await();

        CompletableFuture<Void> deferred = group.writeLater(() -> append("deferred"));
        Future<String> next = callers.submit(() -> group.write(() -> append("next")));
        await().until(() -> queued() == 1);
        assertThat(deferred).isNotDone();
        store.holdCommit.countDown();

        assertThat(first.get()).isEqualTo("first");
        assertThat(next.get()).isEqualTo("next");
        assertThat(deferred).succeedsWithin(Duration.ofSeconds(10));
        assertThat(store.committedBatches).containsExactly(List.of("first"), List.of("next", "deferred"));
        assertThat(group.commits()).isEqualTo(2);
    }

    @Test
    void aDeferredWriteWithNoOtherWriteToRideWithCommitsAlone() {
        group = new GroupCommit("test", store, true, 64, 1000);

        CompletableFuture<Void> deferred = group.writeLater(() -> append("alone"));

        assertThat(deferred).succeedsWithin(Duration.ofSeconds(10));
        assertThat(store.committedBatches).containsExactly(List.of("alone"));
        assertThat(group.forces()).isEqualTo(1);
    }

    @Test
    void aDeferredWriteThatCouldNotBeMadeDurableFailsItsFuture() {
        group = new GroupCommit("test", store, true, 64, 1000);
        store.failCommit = true;

        CompletableFuture<Void> deferred = group.writeLater(() -> append("lost"));

        assertThat(deferred)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .withCauseInstanceOf(GroupCommit.BatchNotDurable.class);
    }

    private String append(String id) {
        store.current.add(id);
        return id;
    }

    private int queued() {
        return group.queued();
    }
}
