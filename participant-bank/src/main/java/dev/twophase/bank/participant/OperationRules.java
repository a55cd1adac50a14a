package dev.twophase.bank.participant;

import dev.twophase.protocol.Money;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.RefusalReason;
import java.util.List;
import java.util.Optional;

/** What makes a prepare's operations well formed; a malformed prepare gets a NO vote, not an error. */
final class OperationRules {

    private OperationRules() {}

    static Optional<RefusalReason> check(List<Operation> operations) {
        if (operations == null || operations.isEmpty()) {
            return Optional.of(RefusalReason.INVALID_OPERATION);
        }
        for (Operation op : operations) {
            if (op == null
                    || op.account() == null
                    || op.type() == null
                    || op.amount() == null
                    || op.amount().signum() <= 0
                    || op.amount().stripTrailingZeros().scale() > Money.SCALE
                    || op.amount().compareTo(Money.MAX) > 0) {
                return Optional.of(RefusalReason.INVALID_OPERATION);
            }
        }
        return Optional.empty();
    }
}
