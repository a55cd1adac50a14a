package dev.twophase.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteFaultsTest {

    enum Write {
        BEGIN,
        DECISION
    }

    @Test
    void failsExactlyTheFirstNWritesOfTheConfiguredKind() {
        WriteFaults<Write> faults =
                new WriteFaults<>(Write.class, Map.of("decision", 2), Map.of(), IllegalStateException::new);

        assertThatCode(() -> faults.beforeWrite(Write.BEGIN, "tx")).doesNotThrowAnyException();
        assertThatThrownBy(() -> faults.beforeWrite(Write.DECISION, "tx-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("DECISION")
                .hasMessageContaining("tx-1");
        assertThatThrownBy(() -> faults.beforeWrite(Write.DECISION, "tx-2")).isInstanceOf(IllegalStateException.class);
        assertThatCode(() -> faults.beforeWrite(Write.DECISION, "tx-3")).doesNotThrowAnyException();
    }

    @Test
    void nothingConfiguredIsEmpty() {
        WriteFaults<Write> none = new WriteFaults<>(Write.class, Map.of(), Map.of(), IllegalStateException::new);
        WriteFaults<Write> slow =
                new WriteFaults<>(Write.class, Map.of(), Map.of("begin", Duration.ofMillis(1)), RuntimeException::new);

        assertThat(none.isEmpty()).isTrue();
        assertThat(slow.isEmpty()).isFalse();
    }
}
