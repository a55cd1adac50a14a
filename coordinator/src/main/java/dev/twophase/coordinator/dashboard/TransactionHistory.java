package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.web.failure.FailureWords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClientException;

/** Finds a transaction by id and tells its whole story: the coordinator's record, each bank's, the operators'. */
@Service
public class TransactionHistory {

    /** A transaction's records and their timeline. {@code found} is false when nobody has any record of it. */
    public record View(
            String txId,
            boolean found,
            TransactionRecord coordinator,
            Map<String, ParticipantTransaction> banks,
            List<Timeline.Event> timeline) {}

    private final TransactionLog transactionLog;
    private final BankOpsClient banks;
    private final AuditLog audit;

    TransactionHistory(TransactionLog transactionLog, BankOpsClient banks, AuditLog audit) {
        this.transactionLog = transactionLog;
        this.banks = banks;
        this.audit = audit;
    }

    public View of(String txId) {
        Optional<TransactionRecord> record = transactionLog.find(txId);
        // The transfer's banks if the coordinator knows it; otherwise every bank (it may be another coordinator's).
        Set<String> asked = new TreeSet<>(record.map(r -> r.transfer().banks())
                .orElseGet(() -> List.copyOf(banks.banks().keySet())));
        Map<String, Timeline.BankView> views = new LinkedHashMap<>();
        Map<String, ParticipantTransaction> records = new LinkedHashMap<>();
        for (String bank : asked) {
            try {
                Optional<ParticipantTransaction> tx = banks.transaction(bank, txId);
                tx.ifPresent(t -> records.put(bank, t));
                views.put(bank, new Timeline.BankView(tx.orElse(null), null));
            } catch (RestClientException | BankOpsClient.UnknownBank e) {
                views.put(
                        bank,
                        new Timeline.BankView(
                                null,
                                FailureWords.describe(e, BankOpsClient.READ_TIMEOUT)
                                        .text()));
            }
        }
        List<AuditEntry> entries = audit.forTransaction(txId);
        List<Timeline.Event> timeline = Timeline.of(
                record.orElse(null),
                record.isPresent() ? transactionLog.findDeliveryFailures(txId) : List.of(),
                record.isPresent() ? transactionLog.findOwnerChanges(txId) : List.of(),
                record.isPresent() || !records.isEmpty() ? views : Map.of(),
                entries);
        boolean found = record.isPresent() || !records.isEmpty() || !entries.isEmpty();
        return new View(txId, found, record.orElse(null), records, timeline);
    }
}
