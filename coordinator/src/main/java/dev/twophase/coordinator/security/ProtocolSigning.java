package dev.twophase.coordinator.security;

import dev.twophase.security.ProtocolSignature;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/** Signs every request the coordinator sends a bank with that bank's protocol secret ({@link ProtocolSignature}). */
public final class ProtocolSigning implements ClientHttpRequestInterceptor {

    private final byte[] secret;
    private final Clock clock;

    public ProtocolSigning(String secret, Clock clock) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        URI uri = request.getURI();
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        ProtocolSignature.headers(
                        ProtocolSignature.COORDINATOR,
                        secret,
                        request.getMethod().name(),
                        pathAndQuery,
                        body,
                        clock.instant())
                .forEach(request.getHeaders()::set);
        return execution.execute(request, body);
    }
}
