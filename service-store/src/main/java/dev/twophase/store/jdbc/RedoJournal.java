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
 * was never acknowledged), and at the first whose number does not follow the one before (left over from before a
 * {@link #truncate} that a power failure undid).
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

    /** Opens (or creates) the journal at {@code file} for appending after what it holds. */
    static RedoJournal open(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new RedoJournal(file, channel, channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the redo journal " + file, e);
        }
    }

    /** Every complete record in the journal, in order (see the class comment for where reading stops). */
    List<Entry> readAll() {
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
     * Empties the journal, once the database file holds (durably) everything in it. Not forced: if a power failure
     * undoes it, the records it leaves behind are ones the database already holds, and a reader stops at them.
     */
    void truncate() {
        try {
            channel.truncate(0);
            size = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate the redo journal " + file, e);
        }
    }

    /** Bytes in the journal now. */
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
