package dev.twophase.system.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Warms the load generator's own JIT before the services start: as many threads as the benchmark has clients send
 * transfers through a {@link LoadClient} to a stand-in coordinator inside this JVM (the JDK's HTTP server, answering
 * every transfer 201) for a while. Without it the first seconds of the warm-up curve measure a cold load generator
 * too: interpreted, its HTTP client costs several times what it does compiled, on the two cores the services share.
 * The figures of issue 20 came from wrk, native code that needs no warming.
 */
final class LoadGeneratorWarmUp {

    private static final byte[] ANSWER =
            "{\"transferId\":\"00000000-0000-7000-8000-000000000000\",\"status\":\"COMMITTED\"}"
                    .getBytes(StandardCharsets.UTF_8);

    private LoadGeneratorWarmUp() {}

    /** @return the transfers sent */
    static long run(int clients, Duration duration) throws IOException, InterruptedException {
        if (duration.isZero()) {
            return 0;
        }
        ExecutorService handlers = Executors.newFixedThreadPool(clients);
        HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), clients);
        standIn.createContext("/api/transfers", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, ANSWER.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(ANSWER);
            }
        });
        standIn.setExecutor(handlers);
        standIn.start();
        URI url = URI.create("http://127.0.0.1:" + standIn.getAddress().getPort());
        LongAdder sent = new LongAdder();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        try (LoadClient client = new LoadClient(List.of(url), "warm-up", clients)) {
            long end = System.nanoTime() + duration.toNanos();
            for (int c = 0; c < clients; c++) {
                senders.execute(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    while (System.nanoTime() < end) {
                        client.transfer(
                                "bank-a",
                                "payer-" + random.nextInt(100),
                                "bank-b",
                                "payee-" + random.nextInt(100),
                                BigDecimal.valueOf(1 + random.nextInt(100), 2));
                        sent.increment();
                    }
                });
            }
            senders.shutdown();
            senders.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
        } finally {
            standIn.stop(0);
            handlers.shutdownNow();
        }
        return sent.sum();
    }
}
