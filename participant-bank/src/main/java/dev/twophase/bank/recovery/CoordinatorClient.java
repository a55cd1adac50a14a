package dev.twophase.bank.recovery;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.bank.security.BankSecrets;
import dev.twophase.protocol.DecisionInquiryResponse;
import dev.twophase.protocol.InquiryAnswer;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.security.ProtocolSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Asks the coordinator what it decided. A coordinator cluster is several base URLs ({@code twophase.coordinator-url},
 * comma-separated): every node answers for every transaction (they share one log), so an inquiry tries them in turn,
 * starting with the one that answered last, until one answers.
 */
@Component
class CoordinatorClient {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorClient.class);

    private final List<RestClient> nodes;
    private final List<URI> urls;
    /** The node that answered last: asked first next time, so a dead node costs one timeout, not one per inquiry. */
    private final AtomicInteger preferred = new AtomicInteger();

    CoordinatorClient(RestClient.Builder builder, BankProperties properties, BankSecrets secrets, Clock clock) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.inquiry().requestTimeout())
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.inquiry().requestTimeout());
        byte[] secret = secrets.protocolSecret().getBytes(StandardCharsets.UTF_8);
        this.urls = List.copyOf(properties.coordinatorUrl());
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("twophase.coordinator-url names no coordinator");
        }
        RestClient.Builder signed = builder.requestFactory(requests)
                // Signed as this bank: the coordinator answers only signed inquiries, and only about our transactions.
                .requestInterceptor((request, body, execution) -> {
                    URI uri = request.getURI();
                    ProtocolSignature.headers(
                                    properties.bankId(),
                                    secret,
                                    request.getMethod().name(),
                                    uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                                    body,
                                    clock.instant())
                            .forEach(request.getHeaders()::set);
                    return execution.execute(request, body);
                });
        this.nodes = urls.stream()
                .map(url -> signed.clone().baseUrl(url.toString()).build())
                .toList();
    }

    /** @throws org.springframework.web.client.RestClientException when the coordinator cannot be reached or fails */
    InquiryAnswer decisionFor(String txId) {
        int first = preferred.get();
        RuntimeException lastFailure = null;
        for (int i = 0; i < nodes.size(); i++) {
            int node = (first + i) % nodes.size();
            try {
                InquiryAnswer answer = ask(nodes.get(node), txId);
                preferred.set(node);
                return answer;
            } catch (RuntimeException e) {
                if (nodes.size() > 1) {
                    log.info("tx={} coordinator {} did not answer the inquiry: {}", txId, urls.get(node), e.toString());
                }
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    private static InquiryAnswer ask(RestClient node, String txId) {
        DecisionInquiryResponse response =
                node.get().uri(ProtocolPaths.DECISION_INQUIRY, txId).retrieve().body(DecisionInquiryResponse.class);
        if (response == null || response.decision() == null) {
            throw new IllegalStateException("empty answer from the coordinator for tx=" + txId);
        }
        return response.decision();
    }
}
