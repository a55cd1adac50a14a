package dev.twophase.coordinator.reconciliation;

/** A reconciliation window holds more of one bank's decisions than a run keeps in memory: compare shorter windows. */
public class WindowTooLarge extends RuntimeException {

    WindowTooLarge(String bank, int most) {
        super("the window holds more than " + most + " of " + bank
                + "'s decisions (twophase.reconciliation.max-transactions): compare shorter windows");
    }
}
