package dev.twophase.concurrent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Executors for tasks that spend their time blocked on I/O or on a group commit. */
public final class BlockingCallExecutors {

    private BlockingCallExecutors() {}

    /**
     * On a JDK with virtual threads (21+), one virtual thread per task: a blocked task costs a few hundred bytes
     * instead of a platform thread, and switching between them does not go through the kernel. On Java 17, at most
     * {@code platformThreads} daemon threads named {@code name-N}; beyond {@code queue} waiting tasks, a new task runs
     * on the thread that submits it (back pressure, not unbounded growth).
     */
    public static ExecutorService create(String name, int platformThreads, int queue) {
        if (Runtime.version().feature() >= 21) {
            try {
                return (ExecutorService) Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor")
                        .invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this JDK should have virtual threads", e);
            }
        }
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                platformThreads,
                platformThreads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(queue),
                threads,
                new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
