package dev.twophase.bank.account;

import dev.twophase.store.GroupCommit;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The bank's balances. Every change is one conditional UPDATE, so concurrent transfers cannot lose an update, and
 * the guard conditions (enough available money, enough held) are checked by the database under the row lock.
 * The balance changes join the caller's write (see {@code Participant}), which also writes the participant log.
 */
@Repository
public class Accounts {

    private static final RowMapper<Account> ACCOUNT =
            (rs, n) -> new Account(rs.getString("id"), rs.getBigDecimal("balance"), rs.getBigDecimal("held"));

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;
    private final Clock clock;

    Accounts(JdbcTemplate jdbc, GroupCommit writes, Clock clock) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.clock = clock;
    }

    /** Opens an account; durable when it returns. @throws AccountAlreadyExists if the id is taken */
    public Account open(String id, BigDecimal initialBalance) {
        try {
            writes.write(() -> jdbc.update(
                    "INSERT INTO accounts (id, balance, held, created_at) VALUES (?, ?, 0, ?)",
                    id,
                    initialBalance,
                    Timestamp.from(clock.instant())));
        } catch (DuplicateKeyException e) {
            throw new AccountAlreadyExists(id);
        }
        return new Account(id, initialBalance, BigDecimal.ZERO.setScale(2));
    }

    public Optional<Account> find(String id) {
        return jdbc.query("SELECT id, balance, held FROM accounts WHERE id = ?", ACCOUNT, id).stream()
                .findFirst();
    }

    public boolean exists(String id) {
        return find(id).isPresent();
    }

    public List<Account> findAll() {
        return jdbc.query("SELECT id, balance, held FROM accounts ORDER BY id", ACCOUNT);
    }

    /** Moves {@code amount} from available to held. @return false (and changes nothing) if not enough is available */
    public boolean hold(String id, BigDecimal amount) {
        return jdbc.update(
                        "UPDATE accounts SET held = held + ? WHERE id = ? AND balance - held >= ?", amount, id, amount)
                == 1;
    }

    /** Gives back a hold that will not be spent (abort). */
    public void releaseHold(String id, BigDecimal amount) {
        requireOneRow(
                jdbc.update("UPDATE accounts SET held = held - ? WHERE id = ? AND held >= ?", amount, id, amount),
                "release hold of " + amount,
                id);
    }

    /** Spends a hold (commit of a debit): the money leaves the balance and the hold ends. */
    public void spendHold(String id, BigDecimal amount) {
        requireOneRow(
                jdbc.update(
                        "UPDATE accounts SET balance = balance - ?, held = held - ? WHERE id = ? AND held >= ?",
                        amount,
                        amount,
                        id,
                        amount),
                "spend hold of " + amount,
                id);
    }

    /** Pays money in (commit of a credit). */
    public void credit(String id, BigDecimal amount) {
        requireOneRow(
                jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, id),
                "credit " + amount,
                id);
    }

    private static void requireOneRow(int rows, String what, String id) {
        if (rows != 1) {
            // Prepare made these moves safe; if one fails, the log and the balances disagree and must not be hidden.
            throw new IllegalStateException(
                    "cannot " + what + " on account " + id + ": the hold or account is missing");
        }
    }
}
