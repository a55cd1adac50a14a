package dev.twophase.store.jdbc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements one batch ran, as a journal record's payload: each one's SQL and the parameter values it was run
 * with, so that running them again, in order, on the database as it was before the batch redoes the batch exactly.
 *
 * <p>Parameter values are what the services bind: strings, exact decimals, timestamps, integers, booleans and null.
 * Any other type is refused when it is bound ({@link #checkSupported}), so a write that could not be redone fails
 * instead of being acknowledged.
 */
final class RedoBatch {

    /** One statement that changed the database, with its parameters by position (index 0 is parameter 1). */
    record Statement(String sql, Object[] parameters) {}

    private static final byte NULL = 0;
    private static final byte STRING = 1;
    private static final byte DECIMAL = 2;
    private static final byte TIMESTAMP = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte BOOLEAN = 6;

    private RedoBatch() {}

    /** Throws if {@code value} is of a type a journal record cannot hold. */
    static void checkSupported(Object value) {
        if (value != null
                && !(value instanceof String
                        || value instanceof BigDecimal
                        || value instanceof Timestamp
                        || value instanceof Integer
                        || value instanceof Long
                        || value instanceof Boolean)) {
            throw new IllegalArgumentException("the redo journal cannot hold a parameter of type "
                    + value.getClass().getName() + "; bind it as one of String, BigDecimal, Timestamp, Integer, "
                    + "Long, Boolean");
        }
    }

    /** Writes {@code statements} into {@code out} (reset first). */
    static void encode(List<Statement> statements, ByteArrayOutputStream out) {
        out.reset();
        DataOutputStream data = new DataOutputStream(out);
        try {
            data.writeInt(statements.size());
            for (Statement statement : statements) {
                writeString(data, statement.sql());
                data.writeShort(statement.parameters().length);
                for (Object value : statement.parameters()) {
                    writeValue(data, value);
                }
            }
            data.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    static List<Statement> decode(byte[] payload) {
        DataInputStream data = new DataInputStream(new ByteArrayInputStream(payload));
        try {
            int count = data.readInt();
            List<Statement> statements = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String sql = readString(data);
                Object[] parameters = new Object[data.readShort()];
                for (int p = 0; p < parameters.length; p++) {
                    parameters[p] = readValue(data);
                }
                statements.add(new Statement(sql, parameters));
            }
            return statements;
        } catch (IOException e) {
            throw new UncheckedIOException("a redo journal record that passed its checksum does not decode", e);
        }
    }

    private static void writeValue(DataOutputStream data, Object value) throws IOException {
        if (value == null) {
            data.writeByte(NULL);
        } else if (value instanceof String text) {
            data.writeByte(STRING);
            writeString(data, text);
        } else if (value instanceof BigDecimal decimal) {
            data.writeByte(DECIMAL);
            data.writeInt(decimal.scale());
            byte[] unscaled = decimal.unscaledValue().toByteArray();
            data.writeShort(unscaled.length);
            data.write(unscaled);
        } else if (value instanceof Timestamp timestamp) {
            data.writeByte(TIMESTAMP);
            data.writeLong(timestamp.getTime());
            data.writeInt(timestamp.getNanos());
        } else if (value instanceof Integer number) {
            data.writeByte(INT);
            data.writeInt(number);
        } else if (value instanceof Long number) {
            data.writeByte(LONG);
            data.writeLong(number);
        } else if (value instanceof Boolean flag) {
            data.writeByte(BOOLEAN);
            data.writeBoolean(flag);
        } else {
            checkSupported(value);
        }
    }

    private static Object readValue(DataInputStream data) throws IOException {
        byte type = data.readByte();
        return switch (type) {
            case NULL -> null;
            case STRING -> readString(data);
            case DECIMAL -> {
                int scale = data.readInt();
                byte[] unscaled = new byte[data.readShort()];
                data.readFully(unscaled);
                yield new BigDecimal(new BigInteger(unscaled), scale);
            }
            case TIMESTAMP -> {
                Timestamp timestamp = new Timestamp(data.readLong());
                timestamp.setNanos(data.readInt());
                yield timestamp;
            }
            case INT -> data.readInt();
            case LONG -> data.readLong();
            case BOOLEAN -> data.readBoolean();
            default -> throw new IOException("unknown parameter type " + type);
        };
    }

    private static void writeString(DataOutputStream data, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        data.writeInt(bytes.length);
        data.write(bytes);
    }

    private static String readString(DataInputStream data) throws IOException {
        byte[] bytes = new byte[data.readInt()];
        data.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
