package dev.twophase.system.support;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh, uniquely named accounts for one test, and the sums that must be conserved across them. */
public final class Ledger {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Api api;
    private final Map<String, String> bankOf = new LinkedHashMap<>();

    public Ledger(Api api) {
        this.api = api;
    }

    /** Opens an account with a name no other test uses; returns the name. */
    public String open(String bank, String prefix, String initialBalance) {
        String id = prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        api.openAccount(bank, id, initialBalance);
        bankOf.put(id, bank);
        return id;
    }

    public Api.Balance balance(String account) {
        return api.balance(bankOf.get(account), account);
    }

    /** Sum of the balances of every account opened through this ledger. */
    public BigDecimal total() {
        return bankOf.keySet().stream().map(a -> balance(a).balance()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Sum of the holds of every account opened through this ledger. */
    public BigDecimal totalHeld() {
        return bankOf.keySet().stream().map(a -> balance(a).held()).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public Map<String, String> accounts() {
        return Map.copyOf(bankOf);
    }
}
