package dev.keyescrow.journal;

import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.journal.internal.DurableFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Append-only file of length-prefixed frames ({@code uint32be length ‖ bytes}, length in
 * [1, {@link #MAX_FRAME}]).
 *
 * <p>{@link #append} returns only after the frame is on disk (fsync of the file, and of the
 * directory when the file was created), so an acknowledged frame survives {@code kill -9}
 * and power loss. Opening streams every complete frame from a given offset to a
 * {@link FrameVisitor} (nothing is kept in memory, so a log of a million frames opens in
 * constant memory, and a checkpoint lets the owner skip the frames before it).
 *
 * <p>A torn last frame — incomplete bytes from a crash mid-write, or a zero-filled tail that
 * some file systems leave after power loss — is reported by {@link #tornBytes()} and removed
 * only when the owner calls {@link #cutTornTail()}, after it has checked the complete frames:
 * a journal that turns out to be corrupt is left exactly as found, as evidence.
 */
public final class AppendOnlyLog implements AutoCloseable {
    /** Upper bound of one frame, so a corrupt length cannot make the reader allocate gigabytes. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;
    static final int HEADER = 4;

    private final Path file;
    private final FileChannel channel;
    private final AppendHook hook;
    private long end;
    private long tornBytes;
    private boolean tornCut;
    private boolean failed;
    /** Whether anything was appended since open (then nothing may be treated as torn any more). */
    private boolean appended;

    private AppendOnlyLog(Path file, FileChannel channel, AppendHook hook, long end, long tornBytes) {
        this.file = file;
        this.channel = channel;
        this.hook = hook;
        this.end = end;
        this.tornBytes = tornBytes;
        this.tornCut = tornBytes == 0;
    }

    /** Opens (or creates) the log at {@code file}, visiting every complete frame from byte 0. */
    public static <E extends Exception> AppendOnlyLog open(Path file, FrameVisitor<E> visitor) throws IOException, E {
        return open(file, 0, visitor, AppendHook.NONE);
    }

    /**
     * Opens (or creates) the log at {@code file}, visiting every complete frame that starts at
     * or after {@code from}, which must be the offset of a frame (or the end of the file).
     */
    public static <E extends Exception> AppendOnlyLog open(Path file, long from, FrameVisitor<E> visitor)
            throws IOException, E {
        return open(file, from, visitor, AppendHook.NONE);
    }

    static <E extends Exception> AppendOnlyLog open(Path file, long from, FrameVisitor<E> visitor, AppendHook hook)
            throws IOException, E {
        Objects.requireNonNull(visitor, "visitor");
        boolean created = !Files.exists(file);
        FileChannel channel = PrivateFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            if (created) {
                channel.force(true);
                DurableFiles.syncDirectory(file.toAbsolutePath().getParent());
            }
            Scan scan = scan(channel, file, from, visitor);
            return new AppendOnlyLog(file, channel, hook, scan.end(), scan.tornBytes());
        } catch (Exception e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Reads a log without changing it (for offline verification of a copy): visits every
     * complete frame from {@code from} and reports where the complete frames end and how many
     * torn bytes follow.
     */
    public static <E extends Exception> Scan read(Path file, long from, FrameVisitor<E> visitor) throws IOException, E {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return scan(channel, file, from, visitor);
        }
    }

    /** Where the complete frames of a scanned log end, and how many torn bytes follow them. */
    public record Scan(long end, long tornBytes) {
    }

    /**
     * Appends one frame and returns its offset once it is durable. If this throws, the frame may
     * be partly in the file; the next append cuts it first.
     */
    public synchronized long append(byte[] frame) throws IOException {
        return appendAll(java.util.List.of(frame))[0];
    }

    /**
     * Appends frames with one write and one fsync (group commit) and returns their offsets once
     * all are durable. If this throws, the frames may be partly in the file and were not
     * acknowledged; the next append cuts them back to the last durable frame before it writes.
     */
    public synchronized long[] appendAll(java.util.List<byte[]> frames) throws IOException {
        Objects.requireNonNull(frames, "frames");
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("nothing to append");
        }
        long total = 0;
        for (byte[] frame : frames) {
            Objects.requireNonNull(frame, "frame");
            if (frame.length < 1 || frame.length > MAX_FRAME) {
                throw new IllegalArgumentException("frame of " + frame.length + " bytes is outside [1, " + MAX_FRAME
                        + "]");
            }
            total += HEADER + frame.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a batch of " + total + " bytes is too large for one write");
        }
        if (failed) {
            cutFailedAppend();
        }
        if (!tornCut) {
            throw new IllegalStateException("log " + file.getFileName() + " has a torn tail; cut it before appending");
        }
        long offset = end;
        long[] offsets = new long[frames.size()];
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = offset + buffer.position();
            buffer.putInt(frames.get(i).length).put(frames.get(i));
        }
        buffer.flip();
        failed = true;
        appended = true;
        hook.at(AppendStage.BEFORE_WRITE, offset);
        if (hook != AppendHook.NONE) {
            ByteBuffer half = buffer.duplicate().limit(buffer.limit() / 2);
            writeFully(half, offset);
            hook.at(AppendStage.MID_WRITE, offset);
            buffer.position(half.limit());
        }
        writeFully(buffer, offset + buffer.position());
        hook.at(AppendStage.AFTER_WRITE, offset);
        channel.force(false);
        hook.at(AppendStage.AFTER_FSYNC, offset);
        failed = false;
        end = offset + total;
        return offsets;
    }

    /**
     * Cuts what a failed append may have left after {@link #end} (part of its frames, or all of
     * them without their fsync), durably, so the log takes appends again once the device does
     * (a full disk that was emptied). Everything before {@code end} was fsynced and is kept; the
     * cut frames were never acknowledged. If the cut fails too, the log stays failed.
     */
    private void cutFailedAppend() throws IOException {
        channel.truncate(end);
        channel.force(true);
        failed = false;
    }

    /**
     * Before {@link #cutTornTail()}: also treats the complete frames from {@code offset} on as
     * torn (the owner found them to be an unfinished batch), so the cut removes them too.
     */
    synchronized void treatAsTornFrom(long offset) {
        if (appended || offset < 0 || offset > end) {
            throw new IllegalStateException("only complete frames found at open can be treated as torn");
        }
        tornBytes += end - offset;
        end = offset;
        tornCut = tornBytes == 0;
    }

    /** Removes the torn tail found at open, durably. Idempotent. */
    public synchronized void cutTornTail() throws IOException {
        if (!tornCut) {
            channel.truncate(end);
            channel.force(true);
            tornCut = true;
        }
    }

    /** How many bytes of a torn last frame were found at open (0 if the file ended cleanly). */
    public synchronized long tornBytes() {
        return tornBytes;
    }

    /** The offset where the next frame will go (the end of the complete frames). */
    public synchronized long end() {
        return end;
    }

    public Path file() {
        return file;
    }

    /** Reads the frame at {@code offset} (which must start a complete frame). */
    public synchronized byte[] readFrame(long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(header, offset);
        int length = header.flip().getInt();
        if (length < 1 || length > MAX_FRAME || offset + HEADER + length > end) {
            throw new ImpossibleFrameLengthException(file.getFileName().toString(), offset, length);
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(body, offset + HEADER);
        return body.array();
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static <E extends Exception> Scan scan(FileChannel channel, Path file, long from, FrameVisitor<E> visitor)
            throws IOException, E {
        long size = channel.size();
        if (from < 0 || from > size) {
            throw new IOException("log " + file.getFileName() + " has " + size + " bytes; cannot read from byte " + from);
        }
        channel.position(from);
        InputStream raw = new BufferedInputStream(Channels.newInputStream(channel), 1 << 16);
        DataInputStream in = new DataInputStream(raw);
        long position = from;
        while (size - position >= HEADER) {
            int length = in.readInt();
            if (length < 1 || length > MAX_FRAME) {
                if (length == 0 && restIsZero(in, size - position - HEADER)) {
                    break;
                }
                throw new ImpossibleFrameLengthException(file.getFileName().toString(), position,
                        Integer.toUnsignedLong(length));
            }
            if (size - position - HEADER < length) {
                break;
            }
            byte[] frame = new byte[length];
            in.readFully(frame);
            visitor.frame(position, frame);
            position += HEADER + length;
        }
        return new Scan(position, size - position);
    }

    private static boolean restIsZero(DataInputStream in, long remaining) throws IOException {
        byte[] chunk = new byte[8192];
        long left = remaining;
        while (left > 0) {
            int n = (int) Math.min(chunk.length, left);
            try {
                in.readFully(chunk, 0, n);
            } catch (EOFException e) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    return false;
                }
            }
            left -= n;
        }
        return true;
    }

    private void writeFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new EOFException("unexpected end of log " + file.getFileName() + " at byte " + at);
            }
            at += read;
        }
    }
}
