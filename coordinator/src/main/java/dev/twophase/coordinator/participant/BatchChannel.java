package dev.twophase.coordinator.participant;

import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.security.ProtocolSignature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * One bank's {@code POST /2pc/batch}, the coordinator's busiest outbound call, made directly on the pooled Apache
 * HttpClient: the body is serialised once by a prebuilt writer, signed ({@link ProtocolSignature}) and sent; the
 * answer is parsed by a prebuilt reader. Failures are thrown as Spring's {@code RestClient} would throw them, because
 * the retry and circuit-breaker settings name those types: no answer (refused, reset, timed out) is a
 * {@link ResourceAccessException}, a 5xx a {@link HttpServerErrorException}, any other 4xx a
 * {@link HttpClientErrorException}; a 404 or 405 means the bank does not batch.
 */
final class BatchChannel implements MessageBatcher.Channel {

    private final String bank;
    private final URI uri;
    private final String pathAndQuery;
    private final byte[] secret;
    private final Clock clock;
    private final CloseableHttpClient http;
    private final RequestConfig timeouts;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    BatchChannel(
            String bank,
            URI baseUrl,
            String secret,
            Clock clock,
            CloseableHttpClient http,
            Duration responseTimeout,
            JsonMapper json) {
        this.bank = bank;
        this.uri = URI.create(baseUrl.toString().replaceAll("/+$", "") + ProtocolPaths.BATCH);
        this.pathAndQuery = uri.getRawPath();
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.http = http;
        this.timeouts = RequestConfig.custom()
                .setResponseTimeout(Timeout.of(responseTimeout))
                .build();
        this.writer = json.writerFor(MessageBatch.class);
        this.reader = json.readerFor(BatchReplies.class);
    }

    /** Sends {@code batch} and returns the bank's replies, or throws why there are none (see the class comment). */
    @Override
    public BatchReplies post(MessageBatch batch) {
        byte[] body = writer.writeValueAsBytes(batch);
        HttpPost post = new HttpPost(uri);
        post.setConfig(timeouts);
        post.setHeader(HttpHeaders.ACCEPT, ContentType.APPLICATION_JSON.getMimeType());
        ProtocolSignature.headers(ProtocolSignature.COORDINATOR, secret, "POST", pathAndQuery, body, clock.instant())
                .forEach(post::setHeader);
        post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        try {
            return http.execute(post, this::answer);
        } catch (IOException e) {
            throw new ResourceAccessException("I/O error on POST request for \"" + uri + "\": " + e.getMessage(), e);
        }
    }

    private BatchReplies answer(ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        HttpEntity entity = response.getEntity();
        if (status == 404 || status == 405) {
            EntityUtils.consume(entity);
            throw new MessageBatcher.BatchingUnsupported(bank, null);
        }
        if (status < 200 || status > 299) {
            byte[] error = entity == null ? null : EntityUtils.toByteArray(entity);
            HttpStatusCode code = HttpStatusCode.valueOf(status);
            String text = response.getReasonPhrase() == null ? "" : response.getReasonPhrase();
            if (code.is5xxServerError()) {
                throw HttpServerErrorException.create(
                        code, text, org.springframework.http.HttpHeaders.EMPTY, error, StandardCharsets.UTF_8);
            }
            if (code.is4xxClientError()) {
                throw HttpClientErrorException.create(
                        code, text, org.springframework.http.HttpHeaders.EMPTY, error, StandardCharsets.UTF_8);
            }
            throw new RestClientException(bank + " answered the batch with HTTP " + status);
        }
        if (entity == null) {
            throw new RestClientException(bank + " answered the batch with no body");
        }
        try {
            return reader.readValue(entity.getContent());
        } catch (JacksonIOException e) {
            // The connection failed while the answer was read: as good as no answer.
            throw e.getCause() != null ? e.getCause() : new IOException(e);
        } catch (JacksonException e) {
            throw new RestClientException(bank + " answered the batch with a body that is not a batch reply", e);
        } finally {
            EntityUtils.consume(entity);
        }
    }
}
