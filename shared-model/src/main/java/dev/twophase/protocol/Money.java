package dev.twophase.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Pattern;

/** Money on the wire: a decimal string with at most two fraction digits, carried as a BigDecimal of scale 2. */
public final class Money {

    public static final int SCALE = 2;
    /** Largest amount or balance a DECIMAL(19,2) column holds. */
    public static final BigDecimal MAX = new BigDecimal("99999999999999999.99");
    /** Compiled once: every amount of every transfer and protocol message is checked against it. */
    private static final Pattern DECIMAL = Pattern.compile("-?\\d{1,17}(\\.\\d+)?");

    private Money() {}

    /**
     * Parses a decimal string such as {@code "25.00"} or {@code "7"} into scale 2.
     *
     * @throws IllegalArgumentException naming what is wrong, when the text is not a plain decimal, has more than two
     *     fraction digits, or is beyond {@link #MAX}
     */
    public static BigDecimal parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("is required");
        }
        if (!DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException("must be a decimal string such as \"25.00\"");
        }
        BigDecimal value = new BigDecimal(text);
        if (value.stripTrailingZeros().scale() > SCALE) {
            throw new IllegalArgumentException("must have at most 2 fraction digits");
        }
        return normalize(value);
    }

    /** The same value at scale 2; refuses values that would need rounding. */
    public static BigDecimal normalize(BigDecimal value) {
        BigDecimal scaled = value.setScale(SCALE, RoundingMode.UNNECESSARY);
        if (scaled.abs().compareTo(MAX) > 0) {
            throw new IllegalArgumentException("must be at most " + MAX.toPlainString());
        }
        return scaled;
    }

    /** The wire form: plain decimal string with two fraction digits. */
    public static String format(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.UNNECESSARY).toPlainString();
    }
}
