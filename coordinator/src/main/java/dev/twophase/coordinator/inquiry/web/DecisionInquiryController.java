package dev.twophase.coordinator.inquiry.web;

import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionInquiryResponse;
import dev.twophase.protocol.InquiryAnswer;
import dev.twophase.protocol.ProtocolPaths;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** Answers a prepared bank that asks what was decided. */
@RestController
class DecisionInquiryController {

    private final TransactionLog transactionLog;

    DecisionInquiryController(TransactionLog transactionLog) {
        this.transactionLog = transactionLog;
    }

    @GetMapping(ProtocolPaths.DECISION_INQUIRY)
    DecisionInquiryResponse decision(@PathVariable String txId) {
        // A durable read: a bank commits on this answer, so it must never be a decision a crash could still undo.
        InquiryAnswer answer = transactionLog
                .findDurable(txId)
                .map(record -> record.state()
                        .decision()
                        .map(d -> d == Decision.COMMIT ? InquiryAnswer.COMMIT : InquiryAnswer.ABORT)
                        .orElse(InquiryAnswer.PENDING))
                // Presumed abort: no record means the transaction never reached a commit decision.
                .orElse(InquiryAnswer.ABORT);
        return new DecisionInquiryResponse(txId, answer);
    }
}
