package dev.twophase.bank.participant.web;

import dev.twophase.bank.participant.DecisionConflict;
import dev.twophase.bank.participant.NotInDoubt;
import dev.twophase.bank.participant.UnknownTransaction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The participant's refusals as RFC 9457 problems, for every controller of this package. */
@RestControllerAdvice(basePackageClasses = ParticipantProblems.class)
class ParticipantProblems {

    @ExceptionHandler(UnknownTransaction.class)
    ProblemDetail unknown(UnknownTransaction e) {
        return problem(HttpStatus.NOT_FOUND, "Unknown transaction", e.getMessage());
    }

    @ExceptionHandler(DecisionConflict.class)
    ProblemDetail conflict(DecisionConflict e) {
        return problem(HttpStatus.CONFLICT, "Decision conflicts with the outcome already applied", e.getMessage());
    }

    @ExceptionHandler(NotInDoubt.class)
    ProblemDetail notInDoubt(NotInDoubt e) {
        return problem(HttpStatus.CONFLICT, "Transaction not in doubt", e.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
