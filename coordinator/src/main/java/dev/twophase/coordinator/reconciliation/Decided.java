package dev.twophase.coordinator.reconciliation;

import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.OperationType;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.ParticipantTransaction;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a bank's log says of one transaction, as much as reconciliation needs: its state, the net amount it moved
 * there (credits minus debits) and when it was decided. Small, so that a window's worth fits in memory.
 */
record Decided(ParticipantState state, BigDecimal net, Instant decidedAt) {

    /** From a bank's full record of one transaction (its {@code GET /2pc/transactions/{txId}}). */
    static Decided of(ParticipantTransaction transaction) {
        return new Decided(transaction.state(), net(transaction.operations()), transaction.decidedAt());
    }

    /** From a bank's page of decisions ({@code GET /2pc/decisions}). */
    static Decided of(DecidedTransaction transaction) {
        return new Decided(transaction.state(), transaction.net(), transaction.decidedAt());
    }

    /** What operations move at their bank: credits minus debits. */
    static BigDecimal net(List<Operation> operations) {
        BigDecimal net = BigDecimal.ZERO;
        for (Operation operation : operations) {
            net = operation.type() == OperationType.CREDIT
                    ? net.add(operation.amount())
                    : net.subtract(operation.amount());
        }
        return net;
    }
}
