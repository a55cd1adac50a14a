package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.Money;
import dev.twophase.protocol.Operation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a client asked for: money moved between accounts, as legs that sum to zero, at one bank or several. A transfer
 * from one account to another (POST /api/transfers) is the two legs {@link #between} makes; POST /api/transactions
 * takes any number. Every bank with a leg is a participant and is asked, in one prepare, for all of its legs.
 */
public record Transfer(List<Leg> legs) {

    public Transfer {
        legs = List.copyOf(legs);
        if (legs.size() < 2) {
            throw new IllegalArgumentException("a transaction has at least two legs, not " + legs.size());
        }
        BigDecimal sum = legs.stream().map(Leg::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (sum.signum() != 0) {
            throw new IllegalArgumentException("legs must sum to zero, not " + sum.toPlainString());
        }
    }

    /** {@code amount} from one account to another: a debit leg and then a credit leg. */
    public static Transfer between(
            String fromBank, String fromAccount, String toBank, String toAccount, BigDecimal amount) {
        return new Transfer(List.of(Leg.debit(fromBank, fromAccount, amount), Leg.credit(toBank, toAccount, amount)));
    }

    /**
     * The transfer as one account to another, if that is its shape (a debit leg followed by the credit of the same
     * amount): what POST /api/transfers shows, and what the log keeps in its from/to columns alone.
     */
    public Optional<Pair> asPair() {
        if (legs.size() != 2) {
            return Optional.empty();
        }
        Leg debit = legs.get(0);
        Leg credit = legs.get(1);
        if (!debit.isDebit() || credit.isDebit()) {
            return Optional.empty();
        }
        return Optional.of(new Pair(debit.bank(), debit.account(), credit.bank(), credit.account(), credit.amount()));
    }

    /** The banks that take part, in the order of their first leg. */
    public List<String> banks() {
        return List.copyOf(legs.stream().map(Leg::bank).collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** Every leg at one bank: that bank is the only participant, and the transaction takes one phase. */
    public boolean isOnePhase() {
        String first = legs.get(0).bank();
        return legs.stream().allMatch(leg -> leg.bank().equals(first));
    }

    /** What {@code bank} must do: its legs as operations, in leg order. */
    public List<Operation> operationsFor(String bank) {
        List<Operation> operations = new ArrayList<>(2);
        for (Leg leg : legs) {
            if (leg.bank().equals(bank)) {
                operations.add(leg.operation());
            }
        }
        return List.copyOf(operations);
    }

    /** The positions (from 0) of {@code bank}'s legs. */
    public List<Integer> legsAt(String bank) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            if (legs.get(i).bank().equals(bank)) {
                positions.add(i);
            }
        }
        return positions;
    }

    /** The money that moves: the sum of the debits (as much as the credits). */
    public BigDecimal debited() {
        return legs.stream()
                .filter(Leg::isDebit)
                .map(leg -> leg.amount().negate())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Credits less debits at {@code bank}. */
    public BigDecimal netAt(String bank) {
        return legs.stream()
                .filter(leg -> leg.bank().equals(bank))
                .map(Leg::amount)
                .reduce(BigDecimal.ZERO.setScale(Money.SCALE), BigDecimal::add);
    }

    /** For people: "bank-a/alice → bank-b/bob 40.00", or each leg, "bank-a/alice -40.00, bank-b/bob 30.00, …". */
    public String describe() {
        return asPair().map(pair -> pair.fromBank() + "/" + pair.fromAccount() + " → " + pair.toBank() + "/"
                        + pair.toAccount() + " " + Money.format(pair.amount()))
                .orElseGet(() -> legs.stream().map(Leg::toString).collect(Collectors.joining(", ")));
    }

    /** A transfer from one account to another. */
    public record Pair(String fromBank, String fromAccount, String toBank, String toAccount, BigDecimal amount) {}
}
