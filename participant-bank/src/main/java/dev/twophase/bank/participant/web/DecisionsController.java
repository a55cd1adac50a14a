package dev.twophase.bank.participant.web;

import dev.twophase.bank.participant.Participant;
import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.DecisionsPage;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.web.InvalidField;
import dev.twophase.web.RequestInstants;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What this bank decided in a window of time, for the coordinator's reconciliation (protocol.md, "Decisions, for
 * reconciliation"). Read-only, but signed like every protocol message: it tells who was paid what.
 */
@RestController
class DecisionsController {

    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;

    private final Participant participant;

    DecisionsController(Participant participant) {
        this.participant = participant;
    }

    @GetMapping(ProtocolPaths.DECISIONS)
    DecisionsPage decisions(
            @RequestParam String from,
            @RequestParam String to,
            @RequestParam(required = false) String afterDecidedAt,
            @RequestParam(required = false) String afterTxId,
            @RequestParam(required = false) Integer limit) {
        Instant start = RequestInstants.parse("from", from);
        Instant end = RequestInstants.parse("to", to);
        if (!start.isBefore(end)) {
            throw new InvalidField("to", "must be after from");
        }
        Instant after = afterDecidedAt == null ? null : RequestInstants.parse("afterDecidedAt", afterDecidedAt);
        if ((after == null) != (afterTxId == null)) {
            throw new InvalidField(
                    after == null ? "afterDecidedAt" : "afterTxId", "afterDecidedAt and afterTxId go together");
        }
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw new InvalidField("limit", "must be between 1 and " + MAX_LIMIT);
        }
        List<DecidedTransaction> page = participant.findDecidedBetween(start, end, after, afterTxId, size);
        DecidedTransaction last = page.size() < size ? null : page.get(page.size() - 1);
        return new DecisionsPage(
                start, end, page, last == null ? null : last.decidedAt(), last == null ? null : last.txId());
    }
}
