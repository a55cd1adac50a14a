package dev.twophase.protocol;

import java.util.List;

/** The answer to a {@link MessageBatch}: one reply per message, in the order of the messages. */
public record BatchReplies(List<BatchedReply> replies) {

    public BatchReplies {
        replies = replies == null ? List.of() : List.copyOf(replies);
    }
}
