package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** What a client asked for: move {@code amount} from one account to another, at the same bank or two. */
public record Transfer(String fromBank, String fromAccount, String toBank, String toAccount, BigDecimal amount) {

    /** The banks that take part, source first; one bank when both accounts are at the same bank. */
    public List<String> banks() {
        return List.copyOf(new LinkedHashSet<>(List.of(fromBank, toBank)));
    }

    /** Both accounts at one bank: that bank is the only participant, and the transfer takes one phase. */
    public boolean isOnePhase() {
        return fromBank.equals(toBank);
    }

    /** What {@code bank} must do: debit the source, credit the destination, or both. */
    public List<Operation> operationsFor(String bank) {
        List<Operation> operations = new ArrayList<>(2);
        if (bank.equals(fromBank)) {
            operations.add(Operation.debit(fromAccount, amount));
        }
        if (bank.equals(toBank)) {
            operations.add(Operation.credit(toAccount, amount));
        }
        return List.copyOf(operations);
    }
}
