package dev.twophase.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedoJournalTest {

    @TempDir
    Path dir;

    @Test
    void readsBackWhatWasAppendedAfterReopening() {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            append(journal, 1, "first");
            append(journal, 2, "second");
            journal.force();
        }
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            assertThat(texts(journal.readAll())).containsExactly("1:first", "2:second");
        }
    }

    @Test
    void stopsAtARecordACrashCutShort() throws IOException {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            append(journal, 1, "first");
            append(journal, 2, "second, never acknowledged");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 3);
        }
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            assertThat(texts(journal.readAll())).containsExactly("1:first");
        }
    }

    @Test
    void stopsAtARecordWhoseChecksumFails() throws IOException {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            append(journal, 1, "first");
            append(journal, 2, "second");
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 1] ^= 0x40; // one bit of the second record's payload
        Files.write(file, bytes);
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            assertThat(texts(journal.readAll())).containsExactly("1:first");
        }
    }

    @Test
    void stopsWhereTheNumbersStopFollowingOnFromEachOther() throws IOException {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            append(journal, 7, "old");
            append(journal, 8, "old");
            append(journal, 9, "old");
        }
        // A truncation that a power failure undid: new records at the start, the old ones' tail still behind them.
        try (RedoJournal journal = RedoJournal.open(file, 0)) {
            byte[] payload = "new".getBytes(StandardCharsets.UTF_8);
            ByteBuffer record = ByteBuffer.allocate(16 + payload.length);
            try (RedoJournal scratch = RedoJournal.open(dir.resolve("scratch.journal"), 0)) {
                scratch.append(10, payload, payload.length);
            }
            record.put(Files.readAllBytes(dir.resolve("scratch.journal"))).flip();
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.write(record, 0);
            }
            assertThat(journal.readAll()).extracting(RedoJournal.Entry::number).containsExactly(10L);
        }
    }

    @Test
    void isEmptyAfterARewindAndAppendsFromTheStartAgain() {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            append(journal, 1, "first");
            journal.rewind();
            assertThat(journal.size()).isZero();
            append(journal, 2, "second");
        }
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            assertThat(texts(journal.readAll())).containsExactly("2:second");
        }
    }

    @Test
    void aPreallocatedJournalKeepsItsSizeAsRecordsAreAppendedAndRewound() throws IOException {
        Path file = dir.resolve("store.journal");
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            assertThat(Files.size(file)).isEqualTo(4096);
            append(journal, 1, "first");
            append(journal, 2, "second");
            assertThat(Files.size(file))
                    .as("appends inside the preallocated file")
                    .isEqualTo(4096);
        }
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            assertThat(texts(journal.readAll())).containsExactly("1:first", "2:second");
            journal.rewind();
            append(journal, 3, "third, longer than the first");
        }
        try (RedoJournal journal = RedoJournal.open(file, 4096)) {
            assertThat(texts(journal.readAll())).containsExactly("3:third, longer than the first");
            assertThat(journal.size()).as("appends go on after the last record").isEqualTo(16 + 28);
        }
    }

    private static void append(RedoJournal journal, long number, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        journal.append(number, payload, payload.length);
    }

    private static List<String> texts(List<RedoJournal.Entry> entries) {
        return entries.stream()
                .map(entry -> entry.number() + ":" + new String(entry.payload(), StandardCharsets.UTF_8))
                .toList();
    }
}
