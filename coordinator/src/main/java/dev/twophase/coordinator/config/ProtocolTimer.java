package dev.twophase.coordinator.config;

import jakarta.annotation.PreDestroy;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.springframework.stereotype.Component;

/**
 * The protocol's timers: phase 1's deadline (one per transaction) and the wait before a retried call to a bank.
 *
 * <p>Almost every deadline is cancelled long before it is due, and a cancelled one is removed at once; the timer's
 * thread then sleeps until the earliest one left, which is seconds away, so it wakes about once per timeout period
 * instead of once per transaction (as {@code CompletableFuture.orTimeout} does on Java 25, through the common pool's
 * delay scheduler). Its tasks only complete futures or queue a message: what follows runs on a protocol thread.
 *
 * <p>Not a {@code ScheduledExecutorService} bean: one would make Spring Boot's own task scheduler back off.
 */
@Component
public class ProtocolTimer {

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "protocol-timer");
        thread.setDaemon(true);
        return thread;
    });

    ProtocolTimer() {
        timer.setRemoveOnCancelPolicy(true);
    }

    public ScheduledExecutorService scheduler() {
        return timer;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
