package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.log.DeliveryFailure;
import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.OwnerChange;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantTransaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One transaction's history, every record the coordinator and the banks keep of it put in time order: what was
 * logged when, the votes, each failed delivery, the acknowledgements, each bank's prepare, decision and inquiries, and
 * the operators' actions. A pure function of what was read, so it is tested without any store.
 */
public final class Timeline {

    /** One record in the history. {@code source} is "coordinator", a bank id, or "operator". */
    public record Event(Instant at, String source, String what, String detail, boolean problem) {}

    /** What a bank said about the transaction: its record, none ({@code null}), or why it could not be read. */
    public record BankView(ParticipantTransaction record, String unreadable) {}

    private Timeline() {}

    static List<Event> of(
            TransactionRecord record,
            List<DeliveryFailure> failures,
            List<OwnerChange> ownerChanges,
            Map<String, BankView> banks,
            List<AuditEntry> audit) {
        List<Event> events = new ArrayList<>();
        if (record != null) {
            coordinator(record, failures, ownerChanges, events);
        }
        banks.forEach((bank, view) -> bank(bank, view, events));
        for (AuditEntry entry : audit) {
            events.add(new Event(
                    entry.at(),
                    "operator",
                    entry.action() + " by " + entry.actor() + ": " + entry.result(),
                    entry.detail() + (entry.bankId() == null ? "" : " [" + entry.bankId() + "]") + " — reason: "
                            + entry.reason(),
                    entry.result() != AuditEntry.Result.DONE));
        }
        // Events without a time (a bank that could not be read) go last, in the order they were added.
        events.sort(Comparator.comparing(Event::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return events;
    }

    private static void coordinator(
            TransactionRecord record, List<DeliveryFailure> failures, List<OwnerChange> changes, List<Event> events) {
        // The node that began it: the first takeover's former owner, or the owner if it never changed hands.
        Owner began = changes.isEmpty() ? record.owner() : changes.get(0).from();
        events.add(new Event(
                record.createdAt(),
                "coordinator",
                "PREPARING logged",
                record.transfer().describe() + " by node " + began,
                false));
        for (OwnerChange change : changes) {
            events.add(new Event(
                    change.at(),
                    "coordinator",
                    "taken over by node " + change.to(),
                    "from node " + change.from() + ", whose lease had lapsed (takeover " + change.takeoverId() + ")",
                    true));
        }
        if (record.decidedAt() != null) {
            String votes = record.participants().stream()
                    .map(p -> p.bankId() + " " + (p.vote() == null ? "no vote" : p.vote())
                            + (p.voteReason() == null ? "" : " (" + p.voteReason() + ")"))
                    .collect(Collectors.joining(", "));
            String decision = record.state().decision().orElseThrow().name();
            events.add(new Event(
                    record.decidedAt(),
                    "coordinator",
                    decision + " logged" + (record.reason() == null ? "" : " (" + record.reason() + ")"),
                    "votes: " + votes,
                    false));
        }
        for (DeliveryFailure failure : failures) {
            events.add(new Event(
                    failure.failedAt(),
                    "coordinator",
                    "delivery to " + failure.bankId() + " failed (attempt " + failure.attempt() + ")",
                    failure.error(),
                    true));
        }
        for (ParticipantEntry p : record.participants()) {
            if (p.heuristic() != null) {
                events.add(new Event(
                        p.acknowledgedAt(),
                        "coordinator",
                        p.bankId() + " reported a heuristic outcome: " + p.heuristicState() + " — " + p.heuristic(),
                        "an operator decided it at the bank; delivery stopped",
                        true));
            } else if (p.acknowledged()) {
                events.add(new Event(p.acknowledgedAt(), "coordinator", p.bankId() + " acknowledged", "", false));
            } else if (record.decidedAt() != null) {
                events.add(new Event(
                        null,
                        "coordinator",
                        p.bankId() + " has not acknowledged",
                        p.attempts() + " failed attempt(s); next at " + p.nextAttemptAt()
                                + (p.lastError() == null ? "" : "; last error: " + wordsOf(p.lastError())),
                        true));
            }
        }
        if (record.endedAt() != null) {
            events.add(new Event(record.endedAt(), "coordinator", record.state() + " (ended)", "", false));
        }
    }

    private static void bank(String bank, BankView view, List<Event> events) {
        if (view.unreadable() != null) {
            events.add(new Event(null, bank, "record unreadable", view.unreadable(), true));
            return;
        }
        ParticipantTransaction tx = view.record();
        if (tx == null) {
            events.add(new Event(null, bank, "no record", "this bank never heard of the transaction", false));
            return;
        }
        if (tx.preparedAt() != null) {
            events.add(
                    new Event(tx.preparedAt(), bank, "PREPARED logged, voted YES", operations(tx.operations()), false));
        }
        if (tx.lastInquiryAt() != null) {
            events.add(new Event(
                    tx.lastInquiryAt(),
                    bank,
                    "asked the coordinator (" + tx.inquiryAttempts() + " inquiry(ies) so far)",
                    tx.lastInquiryError() == null
                            ? "the coordinator answered PENDING"
                            : "no answer: " + wordsOf(tx.lastInquiryError()),
                    tx.lastInquiryError() != null));
        }
        if (tx.decidedAt() != null) {
            boolean heuristic = "HEURISTIC".equals(tx.decidedVia());
            String what = tx.preparedAt() == null
                    ? "ABORTED without preparing (" + tx.reason() + ")"
                    : tx.state() + " (via " + tx.decidedVia() + ")";
            events.add(new Event(
                    tx.decidedAt(),
                    bank,
                    what,
                    heuristic ? "HEURISTIC by " + tx.heuristicBy() + ": " + tx.heuristicReason() : "",
                    heuristic));
        }
    }

    /** The words of a recorded failure (its first line; the technical detail follows on the next, see FailureWords). */
    static String wordsOf(String failure) {
        int newline = failure.indexOf('\n');
        return newline < 0 ? failure : failure.substring(0, newline);
    }

    /** A prepared transaction's operations as an operator reads them: "debit alice 40.00, credit bob 40.00". */
    static String operations(List<Operation> operations) {
        return operations.stream()
                .map(op -> op.type().name().toLowerCase(Locale.ROOT) + " " + op.account() + " "
                        + op.amount().toPlainString())
                .collect(Collectors.joining(", "));
    }
}
