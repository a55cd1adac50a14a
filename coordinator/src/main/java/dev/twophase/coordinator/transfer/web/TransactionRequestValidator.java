package dev.twophase.coordinator.transfer.web;

import static dev.twophase.coordinator.transfer.web.RequestFields.invalid;

import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transfer.web.TransactionRequest.LegRequest;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a transaction request leg by leg; the first bad field is a 400 problem that names it, e.g.
 * {@code legs[2].amount}. A transaction has 2 to {@code twophase.transactions.max-legs} legs, one per account, with
 * non-zero amounts that sum to exactly zero.
 */
final class TransactionRequestValidator {

    private final RequestFields fields;
    private final int maxLegs;

    TransactionRequestValidator(RequestFields fields, int maxLegs) {
        this.fields = fields;
        this.maxLegs = maxLegs;
    }

    Transfer validate(TransactionRequest request) {
        if (request == null) {
            throw invalid("body", "is required");
        }
        rejectUnknown("", request.unknownFields(), "legs");
        List<LegRequest> requested = request.legs();
        if (requested == null) {
            throw invalid("legs", "is required");
        }
        if (requested.size() < 2 || requested.size() > maxLegs) {
            throw invalid("legs", "must hold 2 to " + maxLegs + " legs, not " + requested.size());
        }
        List<Leg> legs = new ArrayList<>(requested.size());
        Map<String, Integer> accounts = new HashMap<>();
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal debited = BigDecimal.ZERO;
        for (int i = 0; i < requested.size(); i++) {
            String at = "legs[" + i + "]";
            LegRequest leg = requested.get(i);
            if (leg == null) {
                throw invalid(at, "is required");
            }
            rejectUnknown(at + ".", leg.unknownFields(), "bank, account, amount");
            String bank = fields.bank(at + ".bank", leg.bank());
            String account = RequestFields.account(at + ".account", leg.account());
            BigDecimal amount = fields.withinLimit(at + ".amount", RequestFields.amount(at + ".amount", leg.amount()));
            if (amount.signum() == 0) {
                throw invalid(at + ".amount", "must not be 0 (negative to debit, positive to credit)");
            }
            Integer earlier = accounts.putIfAbsent(bank + "/" + account, i);
            if (earlier != null) {
                // One leg per account: a bank is asked for each account's change once, and a debit and a credit of the
                // same account would net out anyway.
                throw invalid(at + ".account", bank + "/" + account + " already has legs[" + earlier + "]");
            }
            sum = sum.add(amount);
            debited = amount.signum() < 0 ? debited.add(amount.negate()) : debited;
            legs.add(new Leg(bank, account, amount));
        }
        if (sum.signum() != 0) {
            throw invalid("legs", "amounts must sum to 0, not " + sum.toPlainString());
        }
        if (debited.compareTo(fields.maxAmount()) > 0) {
            throw invalid(
                    "legs",
                    "debit " + debited.toPlainString() + " in all, more than the limit of "
                            + fields.maxAmount().toPlainString());
        }
        return new Transfer(legs);
    }

    private static void rejectUnknown(String prefix, Map<String, Object> unknown, String known) {
        if (unknown != null && !unknown.isEmpty()) {
            String field = unknown.keySet().stream().sorted().findFirst().orElseThrow();
            throw invalid(prefix + field, "is not a field of this request (" + known + ")");
        }
    }
}
