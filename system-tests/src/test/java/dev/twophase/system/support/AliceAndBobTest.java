package dev.twophase.system.support;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;

import org.junit.jupiter.api.BeforeEach;

/** The usual fixture: alice with 100.00 at bank-a and bob with 0.00 at bank-b, new accounts for every test. */
public abstract class AliceAndBobTest extends ClusterTest {

    protected String alice;
    protected String bob;

    @BeforeEach
    void openAliceAndBob() {
        alice = ledger.open(BANK_A, "alice", "100.00");
        bob = ledger.open(BANK_B, "bob", "0.00");
    }
}
