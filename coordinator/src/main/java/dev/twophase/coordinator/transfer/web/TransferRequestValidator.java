package dev.twophase.coordinator.transfer.web;

import static dev.twophase.coordinator.transfer.web.RequestFields.invalid;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.web.InvalidField;
import java.math.BigDecimal;

/** Checks a transfer request field by field; the first bad field is a 400 problem that names it. */
final class TransferRequestValidator {

    private final RequestFields fields;

    TransferRequestValidator(RequestFields fields) {
        this.fields = fields;
    }

    Transfer validate(TransferRequest request) {
        if (request == null) {
            throw invalid("body", "is required");
        }
        InvalidField.rejectUnknown(request.unknownFields(), "fromBank, fromAccount, toBank, toAccount, amount");
        String fromBank = fields.bank("fromBank", request.fromBank());
        String fromAccount = RequestFields.account("fromAccount", request.fromAccount());
        String toBank = fields.bank("toBank", request.toBank());
        String toAccount = RequestFields.account("toAccount", request.toAccount());
        BigDecimal amount = RequestFields.amount("amount", request.amount());
        if (amount.signum() <= 0) {
            throw invalid("amount", "must be greater than 0");
        }
        fields.withinLimit("amount", amount);
        if (fromBank.equals(toBank) && fromAccount.equals(toAccount)) {
            throw invalid("toAccount", "must differ from fromAccount at the same bank");
        }
        return Transfer.between(fromBank, fromAccount, toBank, toAccount, amount);
    }
}
