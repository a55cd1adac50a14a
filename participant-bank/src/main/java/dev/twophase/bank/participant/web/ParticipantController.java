package dev.twophase.bank.participant.web;

import dev.twophase.bank.participant.DecidedVia;
import dev.twophase.bank.participant.Participant;
import dev.twophase.bank.participant.ParticipantRecord;
import dev.twophase.bank.participant.UnknownTransaction;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.protocol.OnePhaseOutcome;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.protocol.PrepareRequest;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.protocol.VoteResponse;
import dev.twophase.web.InvalidField;
import java.util.Arrays;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The participant protocol over HTTP; the messages are documented in src-docs/protocol.md. */
@RestController
class ParticipantController {

    private final Participant participant;

    ParticipantController(Participant participant) {
        this.participant = participant;
    }

    @PostMapping(ProtocolPaths.PREPARE)
    VoteResponse prepare(@PathVariable String txId, @RequestBody PrepareRequest request) {
        return participant.prepare(validTxId(txId), request.operations());
    }

    @PostMapping(ProtocolPaths.COMMIT_ONE_PHASE)
    OnePhaseOutcome commitOnePhase(@PathVariable String txId, @RequestBody PrepareRequest request) {
        return participant.commitOnePhase(validTxId(txId), request.operations());
    }

    @PostMapping(ProtocolPaths.COMMIT)
    DecisionAck commit(@PathVariable String txId) {
        return participant.commit(validTxId(txId), DecidedVia.COORDINATOR);
    }

    @PostMapping(ProtocolPaths.ABORT)
    DecisionAck abort(@PathVariable String txId) {
        return participant.abort(validTxId(txId), DecidedVia.COORDINATOR);
    }

    @GetMapping(ProtocolPaths.TRANSACTION)
    ParticipantTransaction get(@PathVariable String txId) {
        return participant
                .find(validTxId(txId))
                .map(ParticipantRecord::view)
                .orElseThrow(() -> new UnknownTransaction(txId));
    }

    @GetMapping(ProtocolPaths.TRANSACTIONS)
    List<ParticipantTransaction> list(@RequestParam(required = false) String state) {
        List<ParticipantState> states =
                state == null ? Arrays.asList(ParticipantState.values()) : List.of(parse(state));
        return states.stream()
                .flatMap(s -> participant.findByState(s).stream())
                .map(ParticipantRecord::view)
                .toList();
    }

    private static ParticipantState parse(String state) {
        try {
            return ParticipantState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new InvalidField("state", "must be one of " + Arrays.toString(ParticipantState.values()));
        }
    }

    private static String validTxId(String txId) {
        return TransactionIds.valid(txId);
    }
}
