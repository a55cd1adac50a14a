package dev.twophase.store.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only file of numbered records: what a store's batches changed, kept until the database file itself holds
 * them. One {@link #append} per batch, at most one {@link #force} per batch.
 *
 * <p>Each record is {@code length (int) | number (long) | CRC32C of number and payload (int) | payload}. Reading stops
 * at the first record that is cut short or whose checksum fails (the tail of a write a crash interrupted: its batch
 * was never acknowledged, or the zeros of the unused, preallocated part), and at the first whose number does not follow
 * the one before (left over from before the last {@link #rewind}: numbers only grow, so an old record never follows
 * a newer one).
 *
 * <p>The file is preallocated (written with zeros once) and reused from its start after each {@link #rewind}, so that
 * an append does not change the file's size: forcing it ({@code fdatasync}) then writes the data alone, not the file's
 * metadata too.
 */
final class RedoJournal implements AutoCloseable {

    /** One record: its number and what it holds. */
    record Entry(long number, byte[] payload) {}

    private static final int HEADER_BYTES = Integer.BYTES + Long.BYTES + Integer.BYTES;

    private final Path file;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
    private long size;
    private long forces;

    private RedoJournal(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.size = size;
    }

    /**
     * Opens (or creates) the journal at {@code file}, at least {@code preallocate} bytes long, for appending after the
     * records it holds.
     */
    static RedoJournal open(Path file, long preallocate) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            RedoJournal journal = new RedoJournal(file, channel, 0);
            journal.size = journal.endOfRecords();
            journal.preallocate(preallocate);
            return journal;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the redo journal " + file, e);
        }
    }

    /** Every complete record in the journal, in order (see the class comment for where reading stops). */
    List<Entry> readAll() {
        return read();
    }

    private long endOfRecords() {
        long end = 0;
        for (Entry entry : read()) {
            end += HEADER_BYTES + entry.payload().length;
        }
        return end;
    }

    /** Writes zeros from the end of the file up to {@code bytes}, and forces them: the blocks are then allocated. */
    private void preallocate(long bytes) throws IOException {
        long at = channel.size();
        if (at >= bytes) {
            return;
        }
        ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
        while (at < bytes) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - at));
            while (zeros.hasRemaining()) {
                at += channel.write(zeros, at);
            }
        }
        channel.force(true);
    }

    private List<Entry> read() {
        List<Entry> entries = new ArrayList<>();
        try {
            long position = 0;
            long end = channel.size();
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (position + HEADER_BYTES <= end) {
                header.clear();
                readFully(header, position);
                header.flip();
                int length = header.getInt();
                long number = header.getLong();
                int checksum = header.getInt();
                if (length < 0 || position + HEADER_BYTES + length > end) {
                    break;
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                readFully(payload, position + HEADER_BYTES);
                if (checksum(number, payload.array(), length) != checksum) {
                    break;
                }
                if (!entries.isEmpty()
                        && number != entries.get(entries.size() - 1).number() + 1) {
                    break;
                }
                entries.add(new Entry(number, payload.array()));
                position += HEADER_BYTES + length;
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the redo journal " + file, e);
        }
    }

    /** Writes one record at the end of the journal (to the OS: it survives a kill -9 once this returns). */
    void append(long number, byte[] payload, int length) {
        int needed = HEADER_BYTES + length;
        if (buffer.capacity() < needed) {
            buffer = ByteBuffer.allocateDirect(Math.max(needed, buffer.capacity() * 2));
        }
        buffer.clear();
        buffer.putInt(length).putLong(number).putInt(checksum(number, payload, length));
        buffer.put(payload, 0, length);
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                size += channel.write(buffer, size);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to the redo journal " + file, e);
        }
    }

    /** Forces what was appended to the storage device (it then survives a power failure too). */
    void force() {
        try {
            channel.force(false);
            forces++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force the redo journal " + file, e);
        }
    }

    /**
     * Empties the journal, once the database file holds (durably) everything in it: the next record is written at the
     * start. The old records stay behind it until overwritten; a reader skips them (the database holds them) or stops
     * at them (their numbers are lower).
     */
    void rewind() {
        size = 0;
    }

    /** Bytes of records in the journal now. */
    long size() {
        return size;
    }

    /** Forces made so far. */
    long forces() {
        return forces;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the redo journal " + file, e);
        }
    }

    private int checksum(long number, byte[] payload, int length) {
        crc.reset();
        for (int shift = 56; shift >= 0; shift -= 8) {
            crc.update((int) (number >>> shift));
        }
        crc.update(payload, 0, length);
        return (int) crc.getValue();
    }

    private void readFully(ByteBuffer target, long position) throws IOException {
        long at = position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new IOException("unexpected end of the redo journal at " + at);
            }
            at += read;
        }
    }
}
