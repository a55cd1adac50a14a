package dev.twophase.coordinator.transfer.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transfer.web.TransactionRequest.LegRequest;
import dev.twophase.web.InvalidField;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TransactionRequestValidatorTest {

    private final TransactionRequestValidator validator = new TransactionRequestValidator(
            new RequestFields(Set.of("bank-a", "bank-b", "bank-c"), new BigDecimal("1000.00")), 4);

    @Test
    void legsThatSumToZeroAcrossKnownBanksAreATransaction() {
        var transfer = validator.validate(
                request(leg("bank-a", "alice", "-30"), leg("bank-b", "bob", "25.00"), leg("bank-c", "fees", "5.00")));

        assertThat(transfer.legs())
                .containsExactly(
                        new Leg("bank-a", "alice", new BigDecimal("-30.00")),
                        new Leg("bank-b", "bob", new BigDecimal("25.00")),
                        new Leg("bank-c", "fees", new BigDecimal("5.00")));
    }

    @Test
    void eachBadLegIsNamedByItsPositionAndField() {
        assertField(request(leg("bank-a", "alice", "-5.00"), leg("bank-x", "bob", "5.00")), "legs[1].bank");
        assertField(request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "b o b", "5.00")), "legs[1].account");
        assertField(request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "bob", "5.001")), "legs[1].amount");
        assertField(request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "bob", null)), "legs[1].amount");
        assertField(
                request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "bob", "0.00"), leg("bank-c", "c", "5.00")),
                "legs[1].amount");
        assertField(request(leg("bank-a", "alice", "-5000.00"), leg("bank-b", "bob", "5000.00")), "legs[0].amount");
        assertField(
                request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "bob", "2.00"), leg("bank-a", "alice", "3.00")),
                "legs[2].account");
        assertField(request(leg("bank-a", "alice", "-5.00"), null), "legs[1]");
        assertField(
                request(
                        leg("bank-a", "alice", "-5.00"),
                        new LegRequest("bank-b", "bob", "5.00", Map.of("currency", "EUR"))),
                "legs[1].currency");
    }

    @Test
    void theLegsAsAWholeAreNamedLegs() {
        assertField(request(leg("bank-a", "alice", "-5.00"), leg("bank-b", "bob", "4.99")), "legs");
        assertField(request(leg("bank-a", "alice", "-5.00")), "legs");
        assertField(
                request(
                        leg("bank-a", "a", "-1.00"),
                        leg("bank-a", "b", "-1.00"),
                        leg("bank-b", "c", "1.00"),
                        leg("bank-b", "d", "0.50"),
                        leg("bank-c", "e", "0.50")),
                "legs");
        assertField(
                request(leg("bank-a", "a", "-600.00"), leg("bank-b", "b", "-600.00"), leg("bank-c", "c", "1200.00")),
                "legs[2].amount");
        assertField(new TransactionRequest(null, null), "legs");
        assertField(new TransactionRequest(List.of(), Map.of("from", "x")), "from");
    }

    @Test
    void debitsBeyondTheLimitInAllAreRefusedAsLegs() {
        assertField(
                request(
                        leg("bank-a", "a", "-600.00"),
                        leg("bank-b", "b", "-600.00"),
                        leg("bank-c", "c", "600.00"),
                        leg("bank-c", "d", "600.00")),
                "legs");
    }

    private void assertField(TransactionRequest request, String field) {
        assertThatThrownBy(() -> validator.validate(request))
                .isInstanceOfSatisfying(
                        InvalidField.class,
                        invalid -> assertThat(invalid.getBody().getProperties()).containsEntry("field", field));
    }

    private static TransactionRequest request(LegRequest... legs) {
        return new TransactionRequest(new ArrayList<>(Arrays.asList(legs)), null);
    }

    private static LegRequest leg(String bank, String account, String amount) {
        return new LegRequest(bank, account, amount, null);
    }
}
