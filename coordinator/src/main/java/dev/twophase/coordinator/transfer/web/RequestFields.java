package dev.twophase.coordinator.transfer.web;

import dev.twophase.protocol.Money;
import dev.twophase.web.InvalidField;
import java.math.BigDecimal;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks a transfer and a transaction request share: bank and account ids, amounts, the Idempotency-Key. */
final class RequestFields {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_KEY_LENGTH = 255;

    private final Set<String> banks;
    private final BigDecimal maxAmount;

    RequestFields(Set<String> banks, BigDecimal maxAmount) {
        this.banks = Set.copyOf(banks);
        this.maxAmount = maxAmount;
    }

    /** One of the banks this coordinator knows. */
    String bank(String field, String value) {
        String id = account(field, value);
        if (!banks.contains(id)) {
            throw invalid(
                    field,
                    "is not a bank this coordinator knows; known banks: "
                            + banks.stream().sorted().toList());
        }
        return id;
    }

    static String account(String field, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(field, "is required");
        }
        if (!ID.matcher(value).matches()) {
            throw invalid(field, "must be 1-64 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    /** A decimal string with at most two fraction digits, signed or not, at scale 2. */
    static BigDecimal amount(String field, String value) {
        try {
            return Money.parse(value);
        } catch (IllegalArgumentException e) {
            throw invalid(field, e.getMessage());
        }
    }

    /** An amount of money moved: at most {@code twophase.security.limits.max-transfer-amount}. */
    BigDecimal withinLimit(String field, BigDecimal amount) {
        if (amount.abs().compareTo(maxAmount) > 0) {
            throw invalid(field, "must be at most " + maxAmount.toPlainString() + " (in absolute value)");
        }
        return amount;
    }

    /** {@code twophase.security.limits.max-transfer-amount}. */
    BigDecimal maxAmount() {
        return maxAmount;
    }

    String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH) {
            throw invalid("Idempotency-Key", "must be 1-" + MAX_KEY_LENGTH + " characters");
        }
        return key;
    }

    static InvalidField invalid(String field, String message) {
        return new InvalidField(field, message);
    }
}
