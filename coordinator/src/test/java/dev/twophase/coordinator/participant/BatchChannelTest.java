package dev.twophase.coordinator.participant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.security.ProtocolSignature;
import dev.twophase.security.SignatureVerifier;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The batch call made on HttpClient directly must fail exactly as the {@code RestClient} call it replaced did: the
 * retry and circuit-breaker settings (application.yml) retry and count {@link ResourceAccessException} and
 * {@link HttpServerErrorException} only, and a 404 or 405 switches the bank to one message per request.
 */
class BatchChannelTest {

    private static final WireMockServer BANK = new WireMockServer(options().dynamicPort());
    private static final String SECRET = "bank-a-protocol-secret";
    private static final MessageBatch BATCH = new MessageBatch(List.of(
            BatchedMessage.prepare("tx-1", List.of(Operation.debit("alice", new BigDecimal("5.00")))),
            BatchedMessage.decision("tx-0", Decision.COMMIT)));
    private static final String TWO_REPLIES = "{\"replies\":[{\"txId\":\"tx-1\",\"status\":200,\"vote\":\"YES\"},"
            + "{\"txId\":\"tx-0\",\"status\":200,\"state\":\"COMMITTED\"}]}";

    private CloseableHttpClient http;
    private BatchChannel channel;

    @BeforeAll
    static void start() {
        BANK.start();
    }

    @AfterAll
    static void stop() {
        BANK.stop();
    }

    @BeforeEach
    void connect() {
        BANK.resetAll();
        http = HttpClients.custom().disableAutomaticRetries().build();
        channel = new BatchChannel(
                "bank-a",
                URI.create(BANK.baseUrl() + "/"),
                SECRET,
                Clock.systemUTC(),
                http,
                Duration.ofMillis(500),
                JsonMapper.builder().build());
    }

    @AfterEach
    void disconnect() throws IOException {
        http.close();
    }

    @Test
    void sendsTheBatchSignedWithTheBanksSecretAndReadsTheRepliesInOrder() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH)).willReturn(okJson(TWO_REPLIES)));

        BatchReplies answer = channel.post(BATCH);

        assertThat(answer.replies()).hasSize(2);
        assertThat(answer.replies().get(0).txId()).isEqualTo("tx-1");
        assertThat(answer.replies().get(1).txId()).isEqualTo("tx-0");
        LoggedRequest sent =
                BANK.findAll(postRequestedFor(urlEqualTo(ProtocolPaths.BATCH))).get(0);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(sent.getBodyAsString()).contains("\"tx-1\"", "\"alice\"", "\"COMMIT\"");
        SignatureVerifier bankSide = new SignatureVerifier(
                Map.of(ProtocolSignature.COORDINATOR, SECRET), Duration.ofMinutes(1), Clock.systemUTC(), 100);
        assertThat(bankSide.verify(sent::getHeader, "POST", ProtocolPaths.BATCH, sent.getBody())
                        .accepted())
                .isTrue();
    }

    @Test
    void aServerErrorIsThrownAsTheRetriedServerErrorType() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH))
                .willReturn(aResponse().withStatus(503).withBody("store unavailable")));

        assertThatThrownBy(() -> channel.post(BATCH))
                .isInstanceOf(HttpServerErrorException.class)
                .satisfies(e -> assertThat(
                                ((HttpServerErrorException) e).getStatusCode().value())
                        .isEqualTo(503))
                .satisfies(e -> assertThat(((HttpServerErrorException) e).getResponseBodyAsString())
                        .isEqualTo("store unavailable"));
    }

    @Test
    void aClientErrorIsNotTheRetriedType() {
        BANK.stubFor(
                post(urlEqualTo(ProtocolPaths.BATCH)).willReturn(aResponse().withStatus(401)));

        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(HttpClientErrorException.class);
    }

    @Test
    void aBankWithoutTheBatchEndpointIsRecognised() {
        BANK.stubFor(
                post(urlEqualTo(ProtocolPaths.BATCH)).willReturn(aResponse().withStatus(404)));
        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(MessageBatcher.BatchingUnsupported.class);

        BANK.stubFor(
                post(urlEqualTo(ProtocolPaths.BATCH)).willReturn(aResponse().withStatus(405)));
        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(MessageBatcher.BatchingUnsupported.class);
    }

    @Test
    void aResetConnectionIsNoAnswer() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(ResourceAccessException.class);
    }

    @Test
    void aConnectionThatBreaksWhileTheAnswerIsReadIsNoAnswer() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH))
                .willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(ResourceAccessException.class);
    }

    @Test
    void anAnswerSlowerThanTheTimeoutIsNoAnswer() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH))
                .willReturn(okJson(TWO_REPLIES).withFixedDelay(2_000)));

        assertThatThrownBy(() -> channel.post(BATCH)).isInstanceOf(ResourceAccessException.class);
    }

    @Test
    void aBodyThatIsNotABatchReplyIsAFailureButNotARetriedOne() {
        BANK.stubFor(post(urlEqualTo(ProtocolPaths.BATCH)).willReturn(okJson("[1,2")));

        assertThatThrownBy(() -> channel.post(BATCH))
                .isInstanceOf(RestClientException.class)
                .isNotInstanceOf(ResourceAccessException.class);
    }
}
