package dev.twophase.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * Group commit: every write to a store goes through one writer thread, which runs the writes that queued up while
 * the previous batch was being made durable as one store transaction, commits it once, forces it to the device once
 * (when {@code forceOnCommit}), and only then lets each caller go on with its result.
 *
 * <p>Why: a commit that is written to the file (and, in the power-failure-durable mode, synced) costs a fixed time
 * whatever it holds, so under load many callers share one instead of queueing for one each. It also means only one
 * thread ever writes, so writes never wait on each other's row locks.
 *
 * <p>Each write runs {@linkplain Store#isolated isolated}: if it throws, its own changes are undone and its caller
 * gets the exception, while the rest of the batch commits. If the commit itself (or the force) fails, no caller in
 * the batch is told its write succeeded. A write that calls {@link #write} again (from the writer thread) joins the
 * write it is part of.
 */
public final class GroupCommit implements AutoCloseable {

    /** The store under the writer: a transaction, a savepoint around each write, and writing committed data out. */
    public interface Store {
        /** Runs {@code batch} in one store transaction and commits it; throws if it cannot commit. */
        void inOneTransaction(Runnable batch);

        /** Runs {@code write} so that if it throws, only its own changes are undone. */
        <T> T isolated(Supplier<T> write);

        /**
         * Makes everything committed so far durable: after this returns it survives a kill -9 and, with {@code
         * force}, a power failure too (forced to the storage device).
         *
         * @return how many forced writes (fsync) it took
         */
        int writeOut(boolean force);

        /** Called once the writer has stopped: releases what the store holds. */
        default void close() {}
    }

    /** By default, thrown to every caller of a batch whose commit (or force) failed: none of their writes is durable. */
    public static final class BatchNotDurable extends RuntimeException {
        BatchNotDurable(String store, Throwable cause) {
            super(store + ": the batch could not be made durable", cause);
        }
    }

    /** How long the writer waits for a write before it commits the deferred ones alone. */
    static final long IDLE_POLL_MILLIS = 100;

    private final String name;
    private final Function<Throwable, RuntimeException> notDurable;
    private final Store store;
    private final boolean forceOnCommit;
    private final int maxBatch;
    private final BlockingQueue<Pending<?>> queue;
    /** {@link #writeLater} writes: unbounded, as their callers never wait, but each is a few hundred bytes at most. */
    private final Queue<Pending<?>> later = new ConcurrentLinkedQueue<>();

    private final Thread writer;
    private final LongAdder writes = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder forces = new LongAdder();
    private volatile boolean running = true;
    private volatile LongConsumer latencyListener = nanos -> {};

    /**
     * @param name names the writer thread and errors
     * @param forceOnCommit whether each commit is forced to the device before its callers are released
     * @param maxBatch most writes in one store transaction
     * @param maxQueued most writes waiting for the writer; callers beyond it wait to enter the queue (back pressure)
     */
    public GroupCommit(String name, Store store, boolean forceOnCommit, int maxBatch, int maxQueued) {
        this(name, store, forceOnCommit, maxBatch, maxQueued, failure -> new BatchNotDurable(name, failure));
    }

    /**
     * @param notDurable what each caller of a batch that could not be made durable gets thrown, made from the
     *     failure (so that a service can throw its own storage exception type)
     */
    public GroupCommit(
            String name,
            Store store,
            boolean forceOnCommit,
            int maxBatch,
            int maxQueued,
            Function<Throwable, RuntimeException> notDurable) {
        this.notDurable = notDurable;
        this.name = name;
        this.store = store;
        this.forceOnCommit = forceOnCommit;
        this.maxBatch = maxBatch;
        this.queue = new LinkedBlockingQueue<>(maxQueued);
        this.writer = new Thread(this::writeBatches, name + "-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Runs {@code write} in the store and returns its result once it is durable: committed, and forced to the device
     * if this group forces. Throws what {@code write} threw (its changes undone), or {@link BatchNotDurable}.
     */
    public <T> T write(Supplier<T> write) {
        if (Thread.currentThread() == writer) {
            return write.get();
        }
        if (!running) {
            throw new IllegalStateException(name + " is closed");
        }
        long start = System.nanoTime();
        Pending<T> pending = new Pending<>(write);
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the write was queued", e);
        }
        try {
            T result = pending.done.join();
            latencyListener.accept(System.nanoTime() - start);
            return result;
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Queues {@code write} to run in the next batch, without waiting for it and without waking the writer: for a
     * record whose loss costs only work done again (a phase-2 acknowledgement: without it the decision is simply sent
     * once more). It commits with the next {@linkplain #write(Supplier) write}'s batch, or within {@value
     * #IDLE_POLL_MILLIS} ms when no other write comes.
     *
     * @return completes once the write is durable, or exceptionally as {@link #write} would have thrown; it completes
     *     on the writer thread, so whatever follows a failure must go elsewhere to write
     */
    public CompletableFuture<Void> writeLater(Runnable write) {
        Pending<Void> pending = new Pending<>(() -> {
            write.run();
            return null;
        });
        if (Thread.currentThread() == writer) {
            write.run();
            pending.done.complete(null);
        } else if (!running) {
            pending.done.completeExceptionally(new IllegalStateException(name + " is closed"));
        } else {
            later.add(pending);
        }
        return pending.done;
    }

    /** Same as {@link #write(Supplier)} for a write with no result. */
    public void write(Runnable write) {
        write(() -> {
            write.run();
            return null;
        });
    }

    /**
     * Tells {@code listener} how long each successful write took, in nanoseconds, from the call to its release: time
     * in the queue, in the batch, the commit and the force (for a latency histogram).
     */
    public void reportLatencyTo(LongConsumer listener) {
        this.latencyListener = Objects.requireNonNull(listener, "listener");
    }

    public boolean forcesOnCommit() {
        return forceOnCommit;
    }

    /** Writes made durable (or refused) so far. */
    public long writes() {
        return writes.sum();
    }

    /** Store commits so far; each one covers a whole batch of writes. */
    public long commits() {
        return commits.sum();
    }

    /** Forced writes (fsync) so far: about one per commit when forcing, else none. */
    public long forces() {
        return forces.sum();
    }

    /** Writes waiting for the writer right now. */
    public int queued() {
        return queue.size();
    }

    private void writeBatches() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty() || !later.isEmpty()) {
            try {
                Pending<?> first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, maxBatch - 1);
                }
                // Writes that need not wake the writer ride in whatever batch comes next (or commit alone when idle).
                for (Pending<?> deferred; batch.size() < maxBatch && (deferred = later.poll()) != null; ) {
                    batch.add(deferred);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                running = false;
            } catch (Throwable unexpected) {
                // Never let the writer die: every waiting caller would wait for ever.
                RuntimeException failure = notDurable.apply(unexpected);
                batch.forEach(pending -> pending.done.completeExceptionally(failure));
            } finally {
                batch.clear();
            }
        }
    }

    private void writeBatch(List<Pending<?>> batch) {
        try {
            store.inOneTransaction(() -> batch.forEach(this::runIsolated));
            commits.increment();
            forces.add(store.writeOut(forceOnCommit));
        } catch (RuntimeException failed) {
            RuntimeException failure = notDurable.apply(failed);
            batch.forEach(pending -> pending.done.completeExceptionally(failure));
            return;
        }
        writes.add(batch.size());
        batch.forEach(Pending::release);
    }

    private <T> void runIsolated(Pending<T> pending) {
        try {
            pending.result = store.isolated(pending.write);
        } catch (RuntimeException refused) {
            pending.failure = refused;
        }
    }

    /** Stops taking writes, finishes the ones already queued, and stops the writer. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!writer.isAlive()) {
            store.close();
        }
    }

    private static final class Pending<T> {
        private final Supplier<T> write;
        private final CompletableFuture<T> done = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Pending(Supplier<T> write) {
            this.write = write;
        }

        void release() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(result);
            }
        }
    }
}
