package dev.twophase.protocol;

import java.util.List;

/**
 * Several protocol messages to one participant in one request: {@code POST /2pc/batch}. Each message is handled
 * exactly as if it had come alone (same idempotency, same answers); the answer holds one {@link BatchedReply} per
 * message, in the same order. It saves one HTTP exchange per message under load, nothing else.
 */
public record MessageBatch(List<BatchedMessage> messages) {

    /** Most messages one batch may carry. */
    public static final int MAX_MESSAGES = 1000;

    public MessageBatch {
        messages = messages == null ? List.of() : List.copyOf(messages);
    }
}
