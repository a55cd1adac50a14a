package dev.twophase.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

    @Test
    void parsesDecimalStringsToScaleTwo() {
        assertThat(Money.parse("25")).isEqualTo(new BigDecimal("25.00"));
        assertThat(Money.parse("25.5")).isEqualTo(new BigDecimal("25.50"));
        assertThat(Money.parse("0.01")).isEqualTo(new BigDecimal("0.01"));
        assertThat(Money.parse("7.100")).isEqualTo(new BigDecimal("7.10"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", " ", "abc", "1e3", "1,00", "1.", ".5", "+1", "0x10", "NaN", "1.001", "123456789012345678"})
    void refusesAnythingElse(String text) {
        assertThatThrownBy(() -> Money.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void formatsWithTwoFractionDigitsAndNoExponent() {
        assertThat(Money.format(new BigDecimal("1E+3"))).isEqualTo("1000.00");
        assertThat(Money.format(new BigDecimal("0.1"))).isEqualTo("0.10");
    }
}
