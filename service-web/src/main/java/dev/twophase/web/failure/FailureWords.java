package dev.twophase.web.failure;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClientResponseException;

/**
 * What went wrong with a call to another service, in an operator's words ("connection refused", "timed out after
 * 3 s", "answered 409 Conflict"), with the technical text kept beside it for whoever needs to dig. Stored and shown
 * as {@link #text()}: the words on the first line, the detail after it, so one column or field carries both and a
 * page shows the first line with the rest one click away.
 */
public record FailureWords(String words, String detail) {

    /** The two joined: the words, a line break, the technical detail. */
    public String text() {
        return detail == null || detail.isBlank() ? words : words + "\n" + detail;
    }

    /** Describes {@code failure}, a call's exception; {@code timeout} is the call's configured limit, if known. */
    public static FailureWords describe(Throwable failure, java.time.Duration timeout) {
        return new FailureWords(wordsFor(failure, timeout), failure.toString());
    }

    private static String wordsFor(Throwable failure, java.time.Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RestClientResponseException answered) {
                HttpStatus status = HttpStatus.resolve(answered.getStatusCode().value());
                return "answered " + answered.getStatusCode().value()
                        + (status == null ? "" : " " + status.getReasonPhrase());
            }
            if (cause instanceof ConnectException) {
                return cause.getMessage() != null && cause.getMessage().contains("timed out")
                        ? "could not connect: timed out"
                        : "connection refused";
            }
            if (cause instanceof SocketTimeoutException
                    || cause instanceof HttpTimeoutException
                    || cause instanceof TimeoutException
                    || cause instanceof InterruptedIOException) {
                return timeout == null ? "timed out" : "timed out after " + seconds(timeout);
            }
            if (cause instanceof UnknownHostException) {
                return "unknown host " + cause.getMessage();
            }
            if (cause instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (cause instanceof SSLException) {
                return "TLS failed: " + cause.getMessage();
            }
            // Apache HttpClient's: the server closed the connection instead of answering (a crash mid-request).
            // Matched by name: this module does not depend on the client the coordinator happens to use.
            if (cause.getClass().getSimpleName().equals("NoHttpResponseException")) {
                return "no answer: the connection was closed";
            }
            if (cause instanceof SocketException socket) {
                String message = socket.getMessage() == null ? "" : socket.getMessage();
                return message.contains("reset") ? "connection reset" : "connection lost: " + message;
            }
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    private static String seconds(java.time.Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }
}
