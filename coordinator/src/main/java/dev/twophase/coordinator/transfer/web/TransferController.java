package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.coordinator.security.SecurityProperties;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transfer.IdempotencyKeyReused;
import dev.twophase.coordinator.transfer.Submitted;
import dev.twophase.coordinator.transfer.TransferNotRecorded;
import dev.twophase.coordinator.transfer.Transfers;
import java.net.URI;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public transfer API; see ../shared/CONTRACT.md. */
@RestController
@RequestMapping("/api/transfers")
class TransferController {

    private final Transfers transfers;
    private final TransferRequestValidator validator;

    TransferController(Transfers transfers, ParticipantClient participants, SecurityProperties security) {
        this.transfers = transfers;
        this.validator = new TransferRequestValidator(
                participants.banks(), security.limits().maxTransferAmount());
    }

    @PostMapping
    ResponseEntity<TransferView> create(
            @RequestBody TransferRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Principal client) {
        Transfer transfer = validator.validate(request);
        String key = validator.validIdempotencyKey(idempotencyKey);
        // Keys are per client: two clients that happen to pick the same key get two transfers.
        Submitted submitted = transfers.submit(transfer, key == null ? null : client.getName() + ":" + key);
        Outcome outcome = submitted.outcome();
        TransferView view = TransferView.of(submitted.record(), outcome.status());
        URI location = URI.create("/api/transfers/" + outcome.txId());
        return switch (outcome.status()) {
            case COMMITTED -> ResponseEntity.created(location).body(view);
            case ABORTED ->
                ResponseEntity.status(HttpStatus.CONFLICT).location(location).body(view);
            case PENDING -> ResponseEntity.accepted().location(location).body(view);
        };
    }

    @GetMapping("/{transferId}")
    TransferView get(@PathVariable String transferId) {
        return transfers
                .find(transferId)
                .map(record -> TransferView.of(record, record.state().transferStatus()))
                .orElseThrow(() -> new ErrorResponseException(HttpStatus.NOT_FOUND, notFound(transferId), null));
    }

    /** A transfer this coordinator never had, or one it deleted once it had ended and its retention period passed. */
    private ProblemDetail notFound(String transferId) {
        if (transfers.isPastRetention(transferId)) {
            ProblemDetail problem = problem(
                    HttpStatus.NOT_FOUND,
                    "Transfer past retention",
                    "transfer " + transferId + " began more than " + transfers.retention()
                            + " ago; ended transfers are deleted once older than twophase.retention.period ("
                            + transfers.retention() + "), so its outcome is no longer kept here");
            problem.setProperties(Map.of("pastRetention", true));
            return problem;
        }
        return problem(HttpStatus.NOT_FOUND, "Transfer not found", "no transfer " + transferId);
    }

    /** The log could not record the transfer: no bank has heard of it, so nothing happened and a retry is safe. */
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

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
