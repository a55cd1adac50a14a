package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Money;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code legs} column (V7): one leg per line, "bank account amount". Bank and account ids are letters, digits,
 * '.', '_' and '-' (checked at the API), so a space and a newline separate them unambiguously.
 */
public final class LegsColumn {

    private LegsColumn() {}

    /** NULL for a transfer from one account to another (the from/to columns hold it), else every leg. */
    static String of(Transfer transfer) {
        if (transfer.asPair().isPresent()) {
            return null;
        }
        return transfer.legs().stream()
                .map(leg -> leg.bank() + " " + leg.account() + " " + Money.format(leg.amount()))
                .collect(Collectors.joining("\n"));
    }

    public static Transfer parse(String column) {
        List<Leg> legs = new ArrayList<>();
        for (String line : column.split("\n")) {
            String[] fields = line.split(" ");
            if (fields.length != 3) {
                throw new IllegalStateException("malformed leg in the log: '" + line + "'");
            }
            legs.add(new Leg(fields[0], fields[1], Money.parse(fields[2])));
        }
        return new Transfer(legs);
    }
}
