package dev.twophase.coordinator.config;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProtocolExecutorConfiguration {

    /** Threads that block on bank calls (prepare in parallel, phase 2 off the client's path). */
    private static final int THREADS = 200;
    /** Beyond this much queued work, new work runs on the submitting thread: backpressure, not unbounded growth. */
    private static final int QUEUE = 10_000;

    /**
     * On a JDK with virtual threads (21+), one virtual thread per protocol call: a blocked call costs a few hundred
     * bytes instead of a platform thread, and switching between them does not go through the kernel. On Java 17, a
     * bounded pool of platform threads.
     */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService protocolExecutor() {
        if (Runtime.version().feature() >= 21) {
            try {
                return (ExecutorService) Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor")
                        .invoke(null);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("this JDK should have virtual threads", e);
            }
        }
        return platformThreads();
    }

    private static ExecutorService platformThreads() {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "protocol-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(QUEUE),
                threads,
                new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }
}
