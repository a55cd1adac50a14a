package dev.twophase.bank.recovery;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.protocol.DecisionInquiryResponse;
import dev.twophase.protocol.InquiryAnswer;
import dev.twophase.protocol.ProtocolPaths;
import java.net.http.HttpClient;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/** Asks the coordinator what it decided. */
@Component
class CoordinatorClient {

    private final RestClient http;

    CoordinatorClient(RestClient.Builder builder, BankProperties properties) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(properties.inquiry().requestTimeout())
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(properties.inquiry().requestTimeout());
        this.http = builder.baseUrl(properties.coordinatorUrl().toString())
                .requestFactory(requests)
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
