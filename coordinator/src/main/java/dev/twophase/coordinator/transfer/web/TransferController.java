package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.transfer.Transfers;
import java.security.Principal;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The public transfer API (one account to another); see ../shared/CONTRACT.md. */
@RestController
@RequestMapping("/api/transfers")
class TransferController {

    private final Transfers transfers;
    private final RequestFields fields;
    private final TransferRequestValidator validator;

    TransferController(Transfers transfers, RequestFields fields) {
        this.transfers = transfers;
        this.fields = fields;
        this.validator = new TransferRequestValidator(fields);
    }

    @PostMapping
    ResponseEntity<TransferView> create(
            @RequestBody TransferRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Principal client) {
        return TransactionController.submit(
                transfers,
                validator.validate(request),
                fields.idempotencyKey(idempotencyKey),
                client,
                "/api/transfers/",
                TransferView::of);
    }

    @GetMapping("/{transferId}")
    TransferView get(@PathVariable String transferId) {
        return transfers
                .find(transferId)
                .map(record -> {
                    if (record.transfer().asPair().isEmpty()) {
                        throw notATransfer(transferId, record.transfer().legs().size());
                    }
                    return TransferView.of(record, record.state().transferStatus());
                })
                .orElseThrow(() -> TransferProblems.notFound(transfers, "transfer", transferId));
    }

    /** A transaction of other legs than one debit and one credit has no from/to: it is shown as a transaction. */
    private static ErrorResponseException notATransfer(String id, int legs) {
        ProblemDetail problem = TransferProblems.problem(
                HttpStatus.NOT_FOUND,
                "Not a transfer",
                id + " is a transaction of " + legs + " legs, not a transfer from one account to another: GET "
                        + "/api/transactions/" + id);
        problem.setProperties(Map.of("transaction", "/api/transactions/" + id));
        return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
    }
}
