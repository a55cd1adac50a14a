package dev.twophase.bank.participant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.protocol.Operation;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreparedOperationsTest {

    private static final List<Operation> DEBIT = List.of(Operation.debit("alice", new BigDecimal("5.00")));

    @Test
    void rememberedUntilDecided() {
        PreparedOperations prepared = new PreparedOperations(10);
        prepared.prepared("tx-1", DEBIT);

        assertThat(prepared.of("tx-1")).isEqualTo(DEBIT);
        prepared.decided("tx-1");
        assertThat(prepared.of("tx-1")).isNull();
    }

    @Test
    void pastItsCapacityTheOldestPrepareIsForgottenAndReadFromTheLogInstead() {
        PreparedOperations prepared = new PreparedOperations(2);
        prepared.prepared("tx-1", DEBIT);
        prepared.prepared("tx-2", DEBIT);
        prepared.of("tx-1"); // reading does not keep it: the order is the order of prepares
        prepared.prepared("tx-3", DEBIT);

        assertThat(prepared.of("tx-1")).isNull();
        assertThat(prepared.of("tx-2")).isEqualTo(DEBIT);
        assertThat(prepared.of("tx-3")).isEqualTo(DEBIT);
    }
}
