package dev.twophase.web.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.ResourceAccessException;

class FailureWordsTest {

    private static final Duration THREE_SECONDS = Duration.ofSeconds(3);

    @Test
    void aRefusedConnectionIsSaidSoWithTheExceptionOneLineBelow() {
        ResourceAccessException failure = new ResourceAccessException(
                "I/O error on GET request for \"http://localhost:8081/actuator/health\": null",
                new ConnectException("Connection refused"));

        FailureWords described = FailureWords.describe(failure, THREE_SECONDS);

        assertThat(described.words()).isEqualTo("connection refused");
        assertThat(described.text())
                .startsWith("connection refused\n")
                .contains("org.springframework.web.client.ResourceAccessException: I/O error on GET request");
    }

    @Test
    void aTimeoutNamesTheLimit() {
        ResourceAccessException failure =
                new ResourceAccessException("I/O error", new SocketTimeoutException("Read timed out"));

        assertThat(FailureWords.describe(failure, THREE_SECONDS).words()).isEqualTo("timed out after 3 s");
        assertThat(FailureWords.describe(failure, Duration.ofMillis(1500)).words())
                .isEqualTo("timed out after 1500 ms");
        assertThat(FailureWords.describe(failure, null).words()).isEqualTo("timed out");
    }

    @Test
    void anAnswerIsItsStatusAndReason() {
        HttpClientErrorException conflict = HttpClientErrorException.create(
                HttpStatus.CONFLICT, "Conflict", HttpHeaders.EMPTY, new byte[0], StandardCharsets.UTF_8);

        assertThat(FailureWords.describe(conflict, THREE_SECONDS).words()).isEqualTo("answered 409 Conflict");
    }

    @Test
    void anUnknownHostIsNamed() {
        ResourceAccessException failure =
                new ResourceAccessException("I/O error", new UnknownHostException("bank-c.internal"));

        assertThat(FailureWords.describe(failure, THREE_SECONDS).words()).isEqualTo("unknown host bank-c.internal");
    }

    @Test
    void anythingElseKeepsItsMessageAsTheWords() {
        IllegalStateException failure = new IllegalStateException("the batcher for bank-a is closed");

        assertThat(FailureWords.describe(failure, THREE_SECONDS).words()).isEqualTo("the batcher for bank-a is closed");
    }
}
