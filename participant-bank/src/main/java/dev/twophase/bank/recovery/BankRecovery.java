package dev.twophase.bank.recovery;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.bank.participant.BankCrashPoints;
import dev.twophase.bank.participant.ParticipantLog;
import dev.twophase.fault.CrashPoints;
import dev.twophase.store.GroupCommit;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Restart: the bank reads its own log before it takes work. It runs before the web server opens, so
 * /actuator/health only answers UP once it is done. Prepared transactions keep their holds (they are in the same
 * database) and become due for inquiry at once; the inquiry loop starts when the application is ready.
 */
@Component
class BankRecovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(BankRecovery.class);

    private final ParticipantLog participantLog;
    private final GroupCommit writes;
    private final JdbcTemplate jdbc;
    private final DecisionInquiry inquiry;
    private final TaskScheduler scheduler;
    private final BankProperties properties;
    private final CrashPoints crashPoints;
    private final Clock clock;

    BankRecovery(
            ParticipantLog participantLog,
            GroupCommit writes,
            JdbcTemplate jdbc,
            DecisionInquiry inquiry,
            TaskScheduler scheduler,
            BankProperties properties,
            CrashPoints crashPoints,
            Clock clock) {
        this.participantLog = participantLog;
        this.writes = writes;
        this.jdbc = jdbc;
        this.inquiry = inquiry;
        this.scheduler = scheduler;
        this.properties = properties;
        this.crashPoints = crashPoints;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        checkHoldsMatchTheLog();
        crashPoints.reach(BankCrashPoints.DURING_RECOVERY, "-");
        // Through the writer like every other write, so that the redo journal holds all of them.
        int inDoubt = writes.write(() -> participantLog.makeAllInDoubtDue(clock.instant()));
        log.info(
                "recovery: bank {} read its log; {} prepared transaction(s) in doubt, asking the coordinator",
                properties.bankId(),
                inDoubt);
    }

    @EventListener(ApplicationReadyEvent.class)
    void startInquiryLoop() {
        scheduler.scheduleWithFixedDelay(
                inquiry::askDueTransactions, properties.inquiry().pollInterval());
    }

    /**
     * Every account's held money must equal the debits of its prepared transactions: holds and the log are written
     * in one database transaction. A bank whose books disagree refuses to start rather than move more money.
     */
    private void checkHoldsMatchTheLog() {
        Integer mismatches = jdbc.queryForObject(
                """
                SELECT COUNT(*) FROM accounts a
                WHERE a.held <> COALESCE((SELECT SUM(o.amount) FROM participant_operations o
                                          JOIN participant_log l ON l.tx_id = o.tx_id
                                          WHERE l.state = 'PREPARED' AND o.type = 'DEBIT' AND o.account_id = a.id), 0)
                """,
                Integer.class);
        if (mismatches != null && mismatches > 0) {
            throw new IllegalStateException(
                    mismatches + " account(s) hold money that no prepared transaction explains");
        }
    }
}
