package dev.twophase.bank.participant.web;

import dev.twophase.bank.participant.DecidedVia;
import dev.twophase.bank.participant.DecisionConflict;
import dev.twophase.bank.participant.Participant;
import dev.twophase.bank.participant.UnknownTransaction;
import dev.twophase.concurrent.BlockingCallExecutors;
import dev.twophase.protocol.BatchReplies;
import dev.twophase.protocol.BatchedMessage;
import dev.twophase.protocol.BatchedReply;
import dev.twophase.protocol.MessageBatch;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.web.InvalidField;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /2pc/batch}: several protocol messages in one request, each handled as if it had come alone. The
 * messages run at once (the first on the request's thread), so that their log writes share the store's group commits
 * instead of waiting for one each.
 */
@RestController
class BatchController {

    private static final Logger log = LoggerFactory.getLogger(BatchController.class);

    private final Participant participant;
    private final ExecutorService messages = BlockingCallExecutors.create("batch", 64, 10_000);

    BatchController(Participant participant) {
        this.participant = participant;
    }

    @PostMapping(ProtocolPaths.BATCH)
    BatchReplies batch(@RequestBody MessageBatch batch) {
        if (batch.messages().size() > MessageBatch.MAX_MESSAGES) {
            throw new InvalidField("messages", "at most " + MessageBatch.MAX_MESSAGES + " messages in one batch");
        }
        // The first message runs on the request's own thread, the others beside it: a batch of one (the usual case
        // below saturation) then wakes no other thread.
        List<BatchedMessage> all = batch.messages();
        List<CompletableFuture<BatchedReply>> others = all.subList(Math.min(1, all.size()), all.size()).stream()
                .map(message -> CompletableFuture.supplyAsync(() -> handle(message), messages))
                .toList();
        List<BatchedReply> replies = new ArrayList<>(all.size());
        if (!all.isEmpty()) {
            replies.add(handle(all.get(0)));
        }
        others.forEach(reply -> replies.add(reply.join()));
        return new BatchReplies(replies);
    }

    private BatchedReply handle(BatchedMessage message) {
        String txId = message.txId();
        try {
            String valid = TransactionIds.valid(txId);
            if (message.type() == null) {
                throw new InvalidField("type", "must be PREPARE, COMMIT or ABORT");
            }
            return switch (message.type()) {
                case PREPARE -> BatchedReply.of(participant.prepare(valid, message.operations()));
                case COMMIT -> BatchedReply.of(participant.commit(valid, DecidedVia.COORDINATOR));
                case ABORT -> BatchedReply.of(participant.abort(valid, DecidedVia.COORDINATOR));
            };
        } catch (InvalidField e) {
            return BatchedReply.failed(txId, 400, e.getBody().getDetail());
        } catch (UnknownTransaction e) {
            return BatchedReply.failed(txId, 404, e.getMessage());
        } catch (DecisionConflict e) {
            return BatchedReply.failed(txId, 409, e.getMessage());
        } catch (RuntimeException e) {
            log.error("tx={} {} in a batch failed", txId, message.type(), e);
            return BatchedReply.failed(txId, 500, e.toString());
        }
    }

    @PreDestroy
    void stop() {
        messages.shutdownNow();
    }
}
