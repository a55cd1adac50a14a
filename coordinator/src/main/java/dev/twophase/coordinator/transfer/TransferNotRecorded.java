package dev.twophase.coordinator.transfer;

/** The log could not record a new transfer; no bank heard of it, so nothing happened and the client may retry. */
public class TransferNotRecorded extends RuntimeException {

    public TransferNotRecorded(Throwable cause) {
        super("the transfer could not be recorded; nothing happened and it is safe to retry", cause);
    }
}
