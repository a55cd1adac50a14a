package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Money;
import dev.twophase.web.InvalidField;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a transfer request field by field; the first bad field is a 400 problem that names it. */
final class TransferRequestValidator {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_KEY_LENGTH = 255;

    private final Set<String> banks;
    private final BigDecimal maxAmount;

    TransferRequestValidator(Set<String> banks, BigDecimal maxAmount) {
        this.banks = Set.copyOf(banks);
        this.maxAmount = maxAmount;
    }

    Transfer validate(TransferRequest request) {
        if (request == null) {
            throw invalid("body", "is required");
        }
        InvalidField.rejectUnknown(request.unknownFields(), "fromBank, fromAccount, toBank, toAccount, amount");
        String fromBank = bank("fromBank", request.fromBank());
        String fromAccount = account("fromAccount", request.fromAccount());
        String toBank = bank("toBank", request.toBank());
        String toAccount = account("toAccount", request.toAccount());
        BigDecimal amount;
        try {
            amount = Money.parse(request.amount());
        } catch (IllegalArgumentException e) {
            throw invalid("amount", e.getMessage());
        }
        if (amount.signum() <= 0) {
            throw invalid("amount", "must be greater than 0");
        }
        if (amount.compareTo(maxAmount) > 0) {
            throw invalid("amount", "must be at most " + maxAmount.toPlainString());
        }
        if (fromBank.equals(toBank) && fromAccount.equals(toAccount)) {
            throw invalid("toAccount", "must differ from fromAccount at the same bank");
        }
        return new Transfer(fromBank, fromAccount, toBank, toAccount, amount);
    }

    String validIdempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw invalid("Idempotency-Key", "must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    private String bank(String field, String value) {
        String id = account(field, value);
        if (!banks.contains(id)) {
            throw invalid(
                    field,
                    "is not a bank this coordinator knows; known banks: "
                            + banks.stream().sorted().toList());
        }
        return id;
    }

    private static String account(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        if (!ID.matcher(value).matches()) {
            throw invalid(field, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    private static InvalidField invalid(String field, String message) {
        return new InvalidField(field, message);
    }
}
