package dev.twophase.system.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * The benchmark's HTTP client: keep-alive connections from a pool, one blocking call on the calling thread, the body
 * built as a string and the answer reduced to its status code, so that the load generator takes as little of the
 * machine's CPU (which the services share) as it can. With several coordinator nodes (a coordinator cluster) each
 * transfer goes to one of them at random.
 */
final class LoadClient implements AutoCloseable {

    private final CloseableHttpClient http;
    private final List<URI> transfers;
    private final String authorization;

    LoadClient(List<URI> coordinators, String apiKey, int connections) {
        this.transfers = coordinators.stream()
                .map(node -> node.resolve("/api/transfers"))
                .toList();
        this.authorization = "Bearer " + apiKey;
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(connections)
                        .setMaxConnPerRoute(connections)
                        .build())
                .disableAutomaticRetries()
                .build();
    }

    /** POST /api/transfers; @return the HTTP status, or -1 if no answer came */
    int transfer(String fromBank, String fromAccount, String toBank, String toAccount, BigDecimal amount) {
        HttpPost post = new HttpPost(
                transfers.size() == 1
                        ? transfers.get(0)
                        : transfers.get(ThreadLocalRandom.current().nextInt(transfers.size())));
        post.setHeader("Authorization", authorization);
        post.setEntity(new StringEntity(
                "{\"fromBank\":\"" + fromBank + "\",\"fromAccount\":\"" + fromAccount + "\",\"toBank\":\"" + toBank
                        + "\",\"toAccount\":\"" + toAccount + "\",\"amount\":\"" + amount.toPlainString() + "\"}",
                ContentType.APPLICATION_JSON));
        try {
            return http.execute(post, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
