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
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Asks the coordinator what it decided. */
@Component
class CoordinatorClient {

    private final RestClient http;

    CoordinatorClient(RestClient.Builder builder, BankProperties properties, BankSecrets secrets, Clock clock) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.inquiry().requestTimeout())
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.inquiry().requestTimeout());
        byte[] secret = secrets.protocolSecret().getBytes(StandardCharsets.UTF_8);
        this.http = builder.baseUrl(properties.coordinatorUrl().toString())
                .requestFactory(requests)
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
                })
                .build();
    }

    /** @throws org.springframework.web.client.RestClientException when the coordinator cannot be reached or fails */
    InquiryAnswer decisionFor(String txId) {
        DecisionInquiryResponse response =
                http.get().uri(ProtocolPaths.DECISION_INQUIRY, txId).retrieve().body(DecisionInquiryResponse.class);
        if (response == null || response.decision() == null) {
            throw new IllegalStateException("empty answer from the coordinator for tx=" + txId);
        }
        return response.decision();
    }
}
