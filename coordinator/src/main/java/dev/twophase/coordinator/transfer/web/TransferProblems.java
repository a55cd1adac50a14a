package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.transfer.IdempotencyKeyReused;
import dev.twophase.coordinator.transfer.TransferNotRecorded;
import dev.twophase.coordinator.transfer.Transfers;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The problems the transfer and transaction APIs answer alike. */
@RestControllerAdvice(assignableTypes = {TransferController.class, TransactionController.class})
class TransferProblems {

    /** The log could not record the transaction: no bank has heard of it, so nothing happened and a retry is safe. */
    @ExceptionHandler(TransferNotRecorded.class)
    ResponseEntity<ProblemDetail> notRecorded(TransferNotRecorded e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Transfer not recorded", e.getMessage()));
    }

    @ExceptionHandler(IdempotencyKeyReused.class)
    ProblemDetail keyReused(IdempotencyKeyReused e) {
        ProblemDetail problem = problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency-Key reused", e.getMessage());
        problem.setProperties(Map.of("field", "Idempotency-Key"));
        return problem;
    }

    /**
     * 404 for a transaction this coordinator never had, or one it deleted once it had ended and its retention period
     * passed (then said so, with {@code pastRetention}).
     */
    static ErrorResponseException notFound(Transfers transfers, String kind, String id) {
        ProblemDetail problem;
        if (transfers.isPastRetention(id)) {
            problem = problem(
                    HttpStatus.NOT_FOUND,
                    capitalized(kind) + " past retention",
                    kind + " " + id + " began more than " + transfers.retention() + " ago; ended " + kind
                            + "s are deleted once older than twophase.retention.period (" + transfers.retention()
                            + "), so its outcome is no longer kept here");
            problem.setProperties(Map.of("pastRetention", true));
        } else {
            problem = problem(HttpStatus.NOT_FOUND, capitalized(kind) + " not found", "no " + kind + " " + id);
        }
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }

    static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }

    private static String capitalized(String kind) {
        return Character.toUpperCase(kind.charAt(0)) + kind.substring(1);
    }
}
