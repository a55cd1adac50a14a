package dev.twophase.coordinator.participant;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.PrepareRequest;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.protocol.VoteResponse;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Talks the participant protocol to the banks over pooled keep-alive HTTP connections. Transport failures and 5xx
 * answers are retried at once a few times (resilience4j instances {@value #PREPARE} and {@value #DECISION}); what
 * still fails is thrown to the caller, which turns it into a missing vote or a later redelivery.
 */
@Component
public class ParticipantClient {

    static final String PREPARE = "prepare";
    static final String DECISION = "decision";

    private final Map<String, RestClient> prepareClients;
    private final Map<String, RestClient> decisionClients;
    private final Retry prepareRetry;
    private final Retry decisionRetry;

    ParticipantClient(RestClient.Builder builder, CoordinatorProperties properties, RetryRegistry retries) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.connectTimeout())
                .build();
        this.prepareClients = clients(builder, properties.participants(), http, properties.prepareTimeout());
        this.decisionClients = clients(builder, properties.participants(), http, properties.decisionTimeout());
        this.prepareRetry = retries.retry(PREPARE);
        this.decisionRetry = retries.retry(DECISION);
    }

    /** The configured bank ids. */
    public Set<String> banks() {
        return prepareClients.keySet();
    }

    /** Phase 1. @throws org.springframework.web.client.RestClientException if the bank gave no vote */
    public VoteResponse prepare(String bank, String txId, List<Operation> operations) {
        RestClient client = clientFor(prepareClients, bank);
        return prepareRetry.executeSupplier(() -> client.post()
                .uri(ProtocolPaths.PREPARE, txId)
                .body(new PrepareRequest(operations))
                .retrieve()
                .body(VoteResponse.class));
    }

    /** Phase 2. @throws org.springframework.web.client.RestClientException if the bank did not acknowledge */
    public DecisionAck deliver(String bank, String txId, Decision decision) {
        RestClient client = clientFor(decisionClients, bank);
        return decisionRetry.executeSupplier(() -> client.post()
                .uri(ProtocolPaths.phaseTwoPath(decision), txId)
                .retrieve()
                .body(DecisionAck.class));
    }

    private static RestClient clientFor(Map<String, RestClient> clients, String bank) {
        RestClient client = clients.get(bank);
        if (client == null) {
            throw new IllegalArgumentException("no participant configured for bank " + bank);
        }
        return client;
    }

    private static Map<String, RestClient> clients(
            RestClient.Builder builder, Map<String, URI> banks, HttpClient http, Duration readTimeout) {
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(readTimeout);
        return banks.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, bank -> builder.clone()
                .baseUrl(bank.getValue().toString())
                .requestFactory(requests)
                .build()));
    }
}
