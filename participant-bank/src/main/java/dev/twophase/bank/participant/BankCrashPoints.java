package dev.twophase.bank.participant;

/** Names of the bank's crash points (see {@link dev.twophase.fault.CrashPoints}); armed by twophase.crash.point. */
public final class BankCrashPoints {

    /** A prepare has arrived and nothing is written yet: hanging here makes the bank "too slow to vote". */
    public static final String BEFORE_PREPARE = "bank.before-prepare";
    /** PREPARED and the holds are durable; the YES vote has not been sent. */
    public static final String AFTER_PREPARE_LOGGED = "bank.after-prepare-logged";
    /** A commit decision has arrived for a prepared transaction; nothing applied yet. */
    public static final String BEFORE_COMMIT_APPLIED = "bank.before-commit-applied";
    /** The commit is durable in the log and the balances; the acknowledgement has not been sent. */
    public static final String AFTER_COMMIT_APPLIED = "bank.after-commit-applied";
    /** An abort is durable and the holds are released; the acknowledgement has not been sent. */
    public static final String AFTER_ABORT_APPLIED = "bank.after-abort-applied";

    /** Restart recovery has checked the books; in-doubt transactions are not yet scheduled for inquiry. */
    public static final String DURING_RECOVERY = "bank.during-recovery";

    private BankCrashPoints() {}
}
