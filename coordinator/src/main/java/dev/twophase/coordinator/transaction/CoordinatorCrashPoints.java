package dev.twophase.coordinator.transaction;

/** Names of the coordinator's crash points (see {@link dev.twophase.fault.CrashPoints}); armed by twophase.crash.point. */
public final class CoordinatorCrashPoints {

    /** The PREPARING record is durable; no bank has been asked to prepare. */
    public static final String AFTER_BEGIN_LOGGED = "coordinator.after-begin-logged";
    /** Every vote is in (banks may be prepared); the decision is not written yet. */
    public static final String BEFORE_DECISION_LOGGED = "coordinator.before-decision-logged";
    /** The decision is durable; no bank and not the client has heard it. */
    public static final String AFTER_DECISION_LOGGED = "coordinator.after-decision-logged";
    /** One phase: the only bank answered commit-one-phase (it has decided); the outcome is not written yet. */
    public static final String BEFORE_ONE_PHASE_OUTCOME_LOGGED = "coordinator.before-one-phase-outcome-logged";
    /** A bank acknowledged the decision; the acknowledgement is not written yet. */
    public static final String BEFORE_ACK_LOGGED = "coordinator.before-ack-logged";

    /** Restart recovery has logged ABORT for an undecided transaction; the rest of recovery has not run. */
    public static final String DURING_RECOVERY = "coordinator.during-recovery";

    private CoordinatorCrashPoints() {}
}
