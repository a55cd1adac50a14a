package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.security.ProtocolSigning;
import dev.twophase.coordinator.security.Secrets;
import dev.twophase.protocol.DecisionsPage;
import dev.twophase.protocol.HeuristicDecisionRequest;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.protocol.ProtocolPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What the dashboard asks of the banks, apart from the protocol: health, the in-doubt list, one transaction's
 * record, and an operator's heuristic decision. Short timeouts: a page must not hang on a bank that does.
 */
@Component
public class BankOpsClient {

    /** Transactions per page of a bank's decisions: few round trips, a page well within the read timeout. */
    private static final int DECISIONS_PAGE = 5000;

    /** How long a read of a bank's state may take: a page must not hang on a bank that does. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

    private static final ParameterizedTypeReference<List<ParticipantTransaction>> TRANSACTIONS =
            new ParameterizedTypeReference<>() {};

    private final Map<String, URI> urls;
    private final Map<String, RestClient> clients;

    BankOpsClient(RestClient.Builder builder, CoordinatorProperties properties, Secrets secrets, Clock clock) {
        this.urls = properties.participants();
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(http);
        requests.setReadTimeout(READ_TIMEOUT);
        this.clients = urls.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, bank -> builder.clone()
                        .baseUrl(bank.getValue().toString())
                        .requestFactory(requests)
                        // The heuristic decision is a POST under /2pc/: the bank accepts it signed by us.
                        .requestInterceptor(
                                new ProtocolSigning(secrets.protocolSecrets().get(bank.getKey()), clock))
                        .build()));
    }

    public Map<String, URI> banks() {
        return urls;
    }

    /** Throws if the bank does not answer UP. */
    void checkHealth(String bank) {
        client(bank).get().uri("/actuator/health").retrieve().toBodilessEntity();
    }

    List<ParticipantTransaction> inDoubt(String bank) {
        return client(bank)
                .get()
                .uri(ProtocolPaths.TRANSACTIONS + "?state={state}", ParticipantState.PREPARED)
                .retrieve()
                .body(TRANSACTIONS);
    }

    /** The bank's record of {@code txId}; empty if it has none. */
    public Optional<ParticipantTransaction> transaction(String bank, String txId) {
        try {
            return Optional.ofNullable(client(bank)
                    .get()
                    .uri(ProtocolPaths.TRANSACTION, txId)
                    .retrieve()
                    .body(ParticipantTransaction.class));
        } catch (HttpClientErrorException.NotFound none) {
            return Optional.empty();
        }
    }

    /** One page of what {@code bank} decided in {@code [from, to)} (protocol.md, "Decisions, for reconciliation"). */
    public DecisionsPage decisions(String bank, Instant from, Instant to, Instant afterDecidedAt, String afterTxId) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(ProtocolPaths.DECISIONS)
                .queryParam("from", from)
                .queryParam("to", to)
                .queryParam("limit", DECISIONS_PAGE);
        if (afterDecidedAt != null) {
            uri.queryParam("afterDecidedAt", afterDecidedAt).queryParam("afterTxId", afterTxId);
        }
        return client(bank).get().uri(uri.build().toUriString()).retrieve().body(DecisionsPage.class);
    }

    ParticipantTransaction decideHeuristically(String bank, String txId, HeuristicDecisionRequest request) {
        return client(bank)
                .post()
                .uri(ProtocolPaths.HEURISTIC, txId)
                .body(request)
                .retrieve()
                .body(ParticipantTransaction.class);
    }

    private RestClient client(String bank) {
        RestClient client = clients.get(bank);
        if (client == null) {
            throw new UnknownBank(bank);
        }
        return client;
    }

    /** A bank id this coordinator is not configured with. */
    public static final class UnknownBank extends RuntimeException {
        UnknownBank(String bank) {
            super("no bank " + bank + " is configured at this coordinator");
        }
    }
}
