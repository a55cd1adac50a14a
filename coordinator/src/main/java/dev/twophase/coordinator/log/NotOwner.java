package dev.twophase.coordinator.log;

/**
 * A write refused because this node no longer owns the transaction: another node took it over (this node's lease ran
 * out while it was paused or cut off) or this node has joined again under a new epoch. What the transaction's new
 * owner records stands; this node stops acting on it.
 */
public final class NotOwner extends RuntimeException {

    private final transient Owner owner;

    public NotOwner(String txId, Owner owner, Owner self) {
        super("tx=" + txId + " is owned by " + owner + ", not by this node (" + self + ")", null, false, false);
        this.owner = owner;
    }

    /** Who owns the transaction now. */
    public Owner owner() {
        return owner;
    }
}
