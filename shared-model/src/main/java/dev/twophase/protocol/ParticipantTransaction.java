package dev.twophase.protocol;

import java.time.Instant;
import java.util.List;

/** A participant's view of one transaction, as listed by {@code GET /2pc/transactions}. */
public record ParticipantTransaction(
        String txId,
        ParticipantState state,
        List<Operation> operations,
        RefusalReason reason,
        Instant preparedAt,
        Instant decidedAt,
        /* How the participant learnt the outcome: COORDINATOR, INQUIRY or ONE_PHASE; null while undecided. */
        String decidedVia) {}
