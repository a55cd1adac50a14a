package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;

/**
 * What a bank that an operator decided heuristically reported when the coordinator's decision reached it. Either way
 * the decision is not sent again: the bank's outcome is final.
 */
public enum HeuristicOutcome {
    /** The operator's decision happens to agree with the coordinator's. The banks agree. */
    MATCH,
    /** The operator's decision contradicts the coordinator's: the banks disagree and a person must put it right. */
    MISMATCH;

    public static HeuristicOutcome of(DecisionAck ack, Decision decision) {
        return ack.agreesWith(decision) ? MATCH : MISMATCH;
    }
}
