package dev.twophase.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Wraps the writer's connection so that every statement that changes the database is written down, with its
 * parameters, after it succeeded: the batch's redo record. Queries are not recorded (they change nothing); a
 * statement that failed is not recorded (the database undid it). {@link #rollBackTo} forgets what a write that was
 * undone to its savepoint had recorded.
 *
 * <p>Why at the JDBC level: whatever a service's log runs through {@code JdbcTemplate} (updates with plain
 * parameters, prepared-statement creators, batch updates, generated keys) ends in these few calls, so no write can
 * bypass the journal by using another helper.
 */
final class StatementRecorder {

    private final List<RedoBatch.Statement> recorded = new ArrayList<>();

    /** The connection to give the writes: {@code connection} with recording added. */
    Connection wrap(Connection connection) {
        return proxy(Connection.class, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("prepareStatement")) {
                PreparedStatement statement = (PreparedStatement) invoke(connection, method, args);
                return recordingPrepared(statement, (String) args[0]);
            }
            if (name.equals("createStatement")) {
                return recordingPlain((Statement) invoke(connection, method, args));
            }
            if (name.equals("prepareCall")) {
                throw new UnsupportedOperationException("stored procedures would bypass the redo journal");
            }
            return invoke(connection, method, args);
        });
    }

    /** How many statements are recorded so far (a mark for {@link #rollBackTo}). */
    int mark() {
        return recorded.size();
    }

    /** Forgets the statements recorded after {@code mark}: the write that ran them was undone. */
    void rollBackTo(int mark) {
        recorded.subList(mark, recorded.size()).clear();
    }

    boolean isEmpty() {
        return recorded.isEmpty();
    }

    List<RedoBatch.Statement> recorded() {
        return recorded;
    }

    void clear() {
        recorded.clear();
    }

    private PreparedStatement recordingPrepared(PreparedStatement statement, String sql) {
        Object[][] parameters = {new Object[8]};
        int[] highest = {0};
        List<Object[]> batch = new ArrayList<>();
        return proxy(PreparedStatement.class, (proxy, method, args) -> {
            String name = method.getName();
            // setString(int, …), setNull(int, …), …: a parameter by position (not setQueryTimeout(int) and the like).
            if (args != null && args.length >= 2 && args[0] instanceof Integer && name.startsWith("set")) {
                Object result = invoke(statement, method, args);
                int index = (Integer) args[0];
                Object value = name.equals("setNull") ? null : args[1];
                RedoBatch.checkSupported(value);
                if (index > parameters[0].length) {
                    parameters[0] = Arrays.copyOf(parameters[0], Math.max(index, parameters[0].length * 2));
                }
                parameters[0][index - 1] = value;
                highest[0] = Math.max(highest[0], index);
                return result;
            }
            switch (name) {
                case "clearParameters" -> {
                    Arrays.fill(parameters[0], null);
                    highest[0] = 0;
                }
                case "addBatch" -> {
                    if (args == null) {
                        batch.add(Arrays.copyOf(parameters[0], highest[0]));
                    } else {
                        throw new UnsupportedOperationException("plain SQL in a prepared statement's batch");
                    }
                }
                case "clearBatch" -> batch.clear();
                default -> {}
            }
            Object result = invoke(statement, method, args);
            switch (name) {
                case "executeUpdate", "executeLargeUpdate" -> {
                    if (args == null) {
                        record(sql, Arrays.copyOf(parameters[0], highest[0]));
                    } else {
                        record((String) args[0], new Object[0]);
                    }
                }
                case "execute" -> {
                    if (!(Boolean) result) {
                        record(args == null ? sql : (String) args[0], Arrays.copyOf(parameters[0], highest[0]));
                    }
                }
                case "executeBatch", "executeLargeBatch" -> {
                    batch.forEach(values -> record(sql, values));
                    batch.clear();
                }
                default -> {}
            }
            return result;
        });
    }

    private Statement recordingPlain(Statement statement) {
        List<String> batch = new ArrayList<>();
        return proxy(Statement.class, (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("addBatch")) {
                batch.add((String) args[0]);
            } else if (name.equals("clearBatch")) {
                batch.clear();
            }
            Object result = invoke(statement, method, args);
            switch (name) {
                case "executeUpdate", "executeLargeUpdate" -> record((String) args[0], new Object[0]);
                case "execute" -> {
                    if (!(Boolean) result) {
                        record((String) args[0], new Object[0]);
                    }
                }
                case "executeBatch", "executeLargeBatch" -> {
                    batch.forEach(sql -> record(sql, new Object[0]));
                    batch.clear();
                }
                default -> {}
            }
            return result;
        });
    }

    private void record(String sql, Object[] parameters) {
        recorded.add(new RedoBatch.Statement(sql, parameters));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return (T) Proxy.newProxyInstance(StatementRecorder.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
