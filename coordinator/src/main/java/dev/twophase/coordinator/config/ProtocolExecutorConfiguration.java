package dev.twophase.coordinator.config;

import dev.twophase.concurrent.BlockingCallExecutors;
import java.util.concurrent.ExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ProtocolExecutorConfiguration {

    /** Platform threads (Java 17) that block on bank calls: prepare in parallel, phase 2 off the client's path. */
    private static final int THREADS = 200;
    /** Beyond this much queued work, new work runs on the submitting thread: backpressure, not unbounded growth. */
    private static final int QUEUE = 10_000;

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService protocolExecutor() {
        return BlockingCallExecutors.create("protocol", THREADS, QUEUE);
    }
}
