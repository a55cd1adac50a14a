package dev.twophase.coordinator.participant;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded queue whose takers take batches, and take one only once its oldest item has waited {@code linger} (or a
 * whole batch is queued). Meanwhile another taker may move the items out without waiting ({@link #drainTo}): that is
 * how a bank's decisions ride in the requests that carry its prepares. With a linger of zero a batch is taken as soon
 * as there is anything to take, as from a plain blocking queue.
 */
final class LingeringQueue<T> {

    private record Entry<T>(T item, long queuedAt) {}

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the queue stops being empty, when it holds a whole batch, and after a take that left items. */
    private final Condition ready = lock.newCondition();

    private final ArrayDeque<Entry<T>> entries = new ArrayDeque<>();
    private final int capacity;
    private final int batchSize;
    private final long lingerNanos;

    LingeringQueue(int capacity, int batchSize, Duration linger) {
        if (capacity < 1 || batchSize < 1 || linger.isNegative()) {
            throw new IllegalArgumentException("capacity and batch size must be positive, linger not negative");
        }
        this.capacity = capacity;
        this.batchSize = batchSize;
        this.lingerNanos = linger.toNanos();
    }

    /** Adds {@code item}; false if the queue is full. */
    boolean offer(T item) {
        lock.lock();
        try {
            if (entries.size() >= capacity) {
                return false;
            }
            entries.addLast(new Entry<>(item, System.nanoTime()));
            if (entries.size() == 1 || entries.size() == batchSize) {
                ready.signal();
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a batch is due, then takes it: at most {@code batchSize} items, oldest first. A batch is due once
     * its oldest item has waited {@code linger}, or as soon as a whole batch is queued.
     */
    List<T> takeBatch() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                Entry<T> oldest = entries.peekFirst();
                if (oldest == null) {
                    ready.await();
                    continue;
                }
                long wait = oldest.queuedAt() + lingerNanos - System.nanoTime();
                if (wait <= 0 || entries.size() >= batchSize) {
                    break;
                }
                ready.awaitNanos(wait);
            }
            List<T> batch = new ArrayList<>(Math.min(entries.size(), batchSize));
            move(batch, batchSize);
            if (!entries.isEmpty()) {
                // More than one batch was queued: another taker can start on the rest.
                ready.signal();
            }
            return batch;
        } finally {
            lock.unlock();
        }
    }

    /** Moves up to {@code max} items, oldest first, into {@code batch} without waiting for any linger. */
    void drainTo(List<T> batch, int max) {
        if (max <= 0) {
            return;
        }
        lock.lock();
        try {
            move(batch, max);
        } finally {
            lock.unlock();
        }
    }

    /** Takes everything, without waiting. */
    List<T> drainAll() {
        List<T> all = new ArrayList<>();
        drainTo(all, Integer.MAX_VALUE);
        return all;
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private void move(List<T> batch, int max) {
        for (int i = 0; i < max && !entries.isEmpty(); i++) {
            batch.add(entries.pollFirst().item());
        }
    }
}
