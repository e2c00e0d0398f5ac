package dev.keyescrow.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only file of length-prefixed frames ({@code uint32be length ‖ bytes}).
 *
 * <p>{@link #append} returns only after the frame is on disk (fsync of the file, and of the
 * directory when the file was created), so an acknowledged frame survives {@code kill -9}
 * and power loss. On open, a torn last frame (incomplete bytes from a crash mid-write) is
 * cut off and reported by {@link #tornBytesCut()}; every complete frame is kept.
 */
public final class AppendOnlyLog implements AutoCloseable {
    /** Upper bound of one frame, so a corrupt length cannot make the reader allocate gigabytes. */
    public static final int MAX_FRAME = 16 * 1024 * 1024;

    private final FileChannel channel;
    private final List<byte[]> frames;
    private final long tornBytesCut;

    private AppendOnlyLog(FileChannel channel, List<byte[]> frames, long tornBytesCut) {
        this.channel = channel;
        this.frames = frames;
        this.tornBytesCut = tornBytesCut;
    }

    /** Opens (or creates) the log at {@code file} and reads every complete frame. */
    public static AppendOnlyLog open(Path file) throws IOException {
        boolean created = !Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (created) {
            channel.force(true);
            syncDirectory(file.toAbsolutePath().getParent());
        }
        List<byte[]> frames = new ArrayList<>();
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(4);
        while (position + 4 <= size) {
            header.clear();
            readFully(channel, header, position);
            int length = header.flip().getInt();
            if (length < 0 || length > MAX_FRAME) {
                channel.close();
                throw new IOException("journal " + file.getFileName() + ": frame at byte " + position
                        + " has impossible length " + length);
            }
            if (position + 4 + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            readFully(channel, body, position + 4);
            frames.add(body.array());
            position += 4 + length;
        }
        long torn = size - position;
        if (torn > 0) {
            channel.truncate(position);
            channel.force(true);
        }
        channel.position(position);
        return new AppendOnlyLog(channel, frames, torn);
    }

    /** Appends one frame and returns once it is durable. */
    public synchronized void append(byte[] frame) throws IOException {
        if (frame.length > MAX_FRAME) {
            throw new IllegalArgumentException("frame of " + frame.length + " bytes exceeds " + MAX_FRAME);
        }
        ByteBuffer buffer = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        frames.add(frame.clone());
    }

    /** Every frame read at open or appended since, oldest first. */
    public synchronized List<byte[]> frames() {
        List<byte[]> copy = new ArrayList<>(frames.size());
        frames.forEach(f -> copy.add(f.clone()));
        return copy;
    }

    /** How many bytes of a torn last frame were cut at open (0 if the file ended cleanly). */
    public long tornBytesCut() {
        return tornBytesCut;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of journal at byte " + at);
            }
            at += read;
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
