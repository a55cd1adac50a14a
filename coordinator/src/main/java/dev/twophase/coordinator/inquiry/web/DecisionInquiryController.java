package dev.twophase.coordinator.inquiry.web;

import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionInquiryResponse;
import dev.twophase.protocol.InquiryAnswer;
import dev.twophase.protocol.ProtocolPaths;
import java.security.Principal;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers a prepared bank that asks what was decided. The request is signed by the bank (see the security
 * configuration), and a bank hears only about its own transactions: asking about another bank's is refused (403).
 */
@RestController
class DecisionInquiryController {

    private final TransactionLog transactionLog;

    DecisionInquiryController(TransactionLog transactionLog) {
        this.transactionLog = transactionLog;
    }

    @GetMapping(ProtocolPaths.DECISION_INQUIRY)
    DecisionInquiryResponse decision(@PathVariable String txId, Principal bank) {
        // A durable read: a bank commits on this answer, so it must never be a decision a crash could still undo.
        Optional<TransactionRecord> record = transactionLog.findDurable(txId);
        if (record.isPresent() && !record.get().transfer().banks().contains(bank.getName())) {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    HttpStatus.FORBIDDEN, bank.getName() + " takes no part in transaction " + txId);
            problem.setTitle("Not your transaction");
            throw new ErrorResponseException(HttpStatus.FORBIDDEN, problem, null);
        }
        InquiryAnswer answer = record.map(r -> r.state()
                        .decision()
                        .map(d -> d == Decision.COMMIT ? InquiryAnswer.COMMIT : InquiryAnswer.ABORT)
                        .orElse(InquiryAnswer.PENDING))
                // Presumed abort: no record means the transaction never reached a commit decision.
                .orElse(InquiryAnswer.ABORT);
        return new DecisionInquiryResponse(txId, answer);
    }
}
