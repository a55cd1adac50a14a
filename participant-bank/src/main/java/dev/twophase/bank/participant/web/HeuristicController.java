package dev.twophase.bank.participant.web;

import dev.twophase.bank.participant.Participant;
import dev.twophase.bank.security.ProtocolAuthentication;
import dev.twophase.protocol.HeuristicDecisionRequest;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.web.InvalidField;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's last resort for a transaction stuck in doubt here: decide it without the coordinator. Only for a
 * PREPARED transaction; who and why are mandatory and are kept with the outcome (src-docs/runbook.md).
 */
@RestController
class HeuristicController {

    private static final Pattern OPERATOR = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MAX_REASON = 500;

    private final Participant participant;

    HeuristicController(Participant participant) {
        this.participant = participant;
    }

    @PostMapping(ProtocolPaths.HEURISTIC)
    ParticipantTransaction decide(
            @PathVariable String txId,
            @RequestBody HeuristicDecisionRequest request,
            @RequestAttribute(name = ProtocolAuthentication.AUTHENTICATED_OPERATOR, required = false) String loggedIn) {
        String validTxId = TransactionIds.valid(txId);
        if (request.decision() == null) {
            throw new InvalidField("decision", "is required: COMMIT or ABORT");
        }
        // An operator who logged in here is the one recorded; through the coordinator (signed), the body names
        // the coordinator's logged-in user.
        String operator = loggedIn != null ? loggedIn : request.operator();
        if (operator == null || !OPERATOR.matcher(operator).matches()) {
            throw new InvalidField("operator", "is required: 1 to 64 letters, digits or . _ @ -");
        }
        if (request.reason() == null
                || request.reason().isBlank()
                || request.reason().length() > MAX_REASON) {
            throw new InvalidField(
                    "reason", "is required: why this decision is safe, at most " + MAX_REASON + " characters");
        }
        return participant
                .decideHeuristically(
                        validTxId,
                        request.decision(),
                        operator,
                        request.reason().strip())
                .view();
    }
}
