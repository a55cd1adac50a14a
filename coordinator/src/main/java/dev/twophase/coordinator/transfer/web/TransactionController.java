package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transfer.Submitted;
import dev.twophase.coordinator.transfer.Transfers;
import dev.twophase.protocol.TransferStatus;
import java.net.URI;
import java.security.Principal;
import java.util.function.BiFunction;
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
        return submit(
                transfers,
                validator.validate(request),
                fields.idempotencyKey(idempotencyKey),
                client,
                "/api/transactions/",
                TransactionView::of);
    }

    @GetMapping("/{transactionId}")
    TransactionView get(@PathVariable String transactionId) {
        return transfers
                .find(transactionId)
                .map(record -> TransactionView.of(record, record.state().transferStatus()))
                .orElseThrow(() -> TransferProblems.notFound(transfers, "transaction", transactionId));
    }

    /**
     * Runs a transfer or transaction and answers 201 COMMITTED, 409 ABORTED or 202 PENDING, each with where to find it
     * ({@code path} + its id) and its {@code view}. Idempotency-Keys are per client (two clients that happen to pick
     * the same key get two transactions) and shared by both APIs: the same key for another request is a 422 either way.
     */
    static <V> ResponseEntity<V> submit(
            Transfers transfers,
            Transfer transfer,
            String key,
            Principal client,
            String path,
            BiFunction<TransactionRecord, TransferStatus, V> view) {
        Submitted submitted = transfers.submit(transfer, key == null ? null : client.getName() + ":" + key);
        Outcome outcome = submitted.outcome();
        URI location = URI.create(path + outcome.txId());
        V body = view.apply(submitted.record(), outcome.status());
        return switch (outcome.status()) {
            case COMMITTED -> ResponseEntity.created(location).body(body);
            case ABORTED ->
                ResponseEntity.status(HttpStatus.CONFLICT).location(location).body(body);
            case PENDING -> ResponseEntity.accepted().location(location).body(body);
        };
    }
}
