package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transfer.Submitted;
import dev.twophase.coordinator.transfer.Transfers;
import java.net.URI;
import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public API for transactions of any number of legs across the configured banks, one atomic outcome; see
 * ../shared/CONTRACT.md. The same engine, log, Idempotency-Key rules and answers as transfers: a transfer is a
 * transaction of two legs, and either API shows either kind (GET /api/transactions/{id} any of them).
 */
@RestController
@RequestMapping("/api/transactions")
class TransactionController {

    private final Transfers transfers;
    private final RequestFields fields;
    private final TransactionRequestValidator validator;

    TransactionController(Transfers transfers, RequestFields fields, TransactionLimits limits) {
        this.transfers = transfers;
        this.fields = fields;
        this.validator = new TransactionRequestValidator(fields, limits.maxLegs());
    }

    @PostMapping
    ResponseEntity<TransactionView> create(
            @RequestBody TransactionRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Principal client) {
        Transfer transaction = validator.validate(request);
        String key = fields.idempotencyKey(idempotencyKey);
        // Keys are per client, and shared with transfers: the same key for another request is a 422 either way.
        Submitted submitted = transfers.submit(transaction, key == null ? null : client.getName() + ":" + key);
        Outcome outcome = submitted.outcome();
        TransactionView view = TransactionView.of(submitted.record(), outcome.status());
        return answer(URI.create("/api/transactions/" + outcome.txId()), outcome, view);
    }

    @GetMapping("/{transactionId}")
    TransactionView get(@PathVariable String transactionId) {
        return transfers
                .find(transactionId)
                .map(record -> TransactionView.of(record, record.state().transferStatus()))
                .orElseThrow(() -> TransferProblems.notFound(transfers, "transaction", transactionId));
    }

    /** 201 COMMITTED, 409 ABORTED, 202 PENDING, each with where to find it. */
    static <T> ResponseEntity<T> answer(URI location, Outcome outcome, T view) {
        return switch (outcome.status()) {
            case COMMITTED -> ResponseEntity.created(location).body(view);
            case ABORTED ->
                ResponseEntity.status(HttpStatus.CONFLICT).location(location).body(view);
            case PENDING -> ResponseEntity.accepted().location(location).body(view);
        };
    }
}
