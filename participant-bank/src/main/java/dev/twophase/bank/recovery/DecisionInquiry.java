package dev.twophase.bank.recovery;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.bank.participant.DecidedVia;
import dev.twophase.bank.participant.Participant;
import dev.twophase.bank.participant.ParticipantLog;
import dev.twophase.bank.participant.ParticipantRecord;
import dev.twophase.protocol.InquiryAnswer;
import dev.twophase.retry.Backoff;
import dev.twophase.store.GroupCommit;
import dev.twophase.web.failure.FailureWords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;

/**
 * A prepared bank never decides alone: for each transaction left in doubt too long, it asks the coordinator, and
 * keeps asking with capped exponential backoff until the answer is COMMIT or ABORT.
 */
@Component
class DecisionInquiry {

    private static final Logger log = LoggerFactory.getLogger(DecisionInquiry.class);
    private static final int BATCH = 100;

    private final ParticipantLog participantLog;
    private final Participant participant;
    private final CoordinatorClient coordinator;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Clock clock;
    private final GroupCommit writes;

    DecisionInquiry(
            ParticipantLog participantLog,
            Participant participant,
            CoordinatorClient coordinator,
            GroupCommit writes,
            BankProperties properties,
            Clock clock) {
        this.participantLog = participantLog;
        this.writes = writes;
        this.participant = participant;
        this.coordinator = coordinator;
        this.backoff = new Backoff(
                properties.inquiry().initialBackoff(), properties.inquiry().maxBackoff());
        this.requestTimeout = properties.inquiry().requestTimeout();
        this.clock = clock;
    }

    /** Asks about every in-doubt transaction that is due. */
    void askDueTransactions() {
        List<String> due;
        try {
            due = participantLog.findInDoubtDueForInquiry(clock.instant(), BATCH);
        } catch (DataAccessResourceFailureException storeDown) {
            // The bank's database cannot be reached (a PostgreSQL restart): the next pass asks again.
            log.warn(
                    "inquiry pass skipped, the store cannot be reached: {}",
                    storeDown.getMostSpecificCause().toString());
            return;
        }
        for (String txId : due) {
            try {
                ask(txId);
            } catch (ResourceAccessException unreachable) {
                // The coordinator is down or hung: each further call would wait out its own timeout on the
                // scheduler thread. One failed call per pass is enough; the rest are asked on a later pass.
                log.warn("tx={} inquiry failed, coordinator unreachable: {}", txId, unreachable.toString());
                reschedule(
                        txId, FailureWords.describe(unreachable, requestTimeout).text());
                return;
            } catch (RuntimeException e) {
                log.warn("tx={} inquiry failed: {}", txId, e.toString());
                reschedule(txId, FailureWords.describe(e, requestTimeout).text());
            }
        }
    }

    private void ask(String txId) {
        InquiryAnswer answer = coordinator.decisionFor(txId);
        log.info("tx={} coordinator answered {} to our inquiry", txId, answer);
        switch (answer) {
            case COMMIT -> participant.commit(txId, DecidedVia.INQUIRY);
            case ABORT -> participant.abort(txId, DecidedVia.INQUIRY);
            case PENDING -> reschedule(txId, null);
        }
    }

    /** Asks again later; {@code error} is why this inquiry got no answer (null: the coordinator said PENDING). */
    private void reschedule(String txId, String error) {
        int attempts = participantLog
                        .find(txId)
                        .map(ParticipantRecord::inquiryAttempts)
                        .orElse(0)
                + 1;
        Instant now = clock.instant();
        writes.write(() ->
                participantLog.scheduleInquiry(txId, attempts, now, error, now.plus(backoff.delayAfter(attempts))));
    }
}
