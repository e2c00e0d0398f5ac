package dev.keyescrow.journal.internal;

import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * File operations whose result survives {@code kill -9} and power loss once they return.
 *
 * <p>On Linux a new or renamed directory entry is durable only after the directory itself is
 * fsynced; a file's bytes only after the file is. Every caller that acknowledges something
 * (an append, a checkpoint, a compaction) goes through here so that no path forgets one.
 */
public final class DurableFiles {
    private DurableFiles() {
    }

    /** Fsyncs the directory, making entries created, renamed or deleted in it durable. */
    public static void syncDirectory(Path directory) throws IOException {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    /** Creates {@code directory} (and parents) if missing, private (0700), durably. */
    public static void createDirectory(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        PrivateFiles.createDirectories(absolute);
        syncDirectory(absolute);
        Path parent = absolute.getParent();
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    /**
     * Replaces {@code target} with {@code content} atomically: a reader (or a restart after a
     * crash) sees either the whole old file or the whole new one, never a mix. Writes
     * {@code target + ".tmp"} (0600), fsyncs it, renames it over {@code target}, fsyncs the
     * directory.
     */
    public static void replaceAtomically(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        PrivateFiles.replace(absolute, content);
        syncDirectory(absolute.getParent());
    }

    /** The temporary name {@link #replaceAtomically} writes first; a leftover one is garbage. */
    public static Path temporaryOf(Path target) {
        return PrivateFiles.temporaryOf(target);
    }

    /**
     * Overwrites a file's bytes with zeros, fsyncs, then deletes it and fsyncs its directory.
     * Used for files that held deleted data: the overwrite removes the bytes from the file's
     * blocks on ordinary file systems; it is defence in depth, not a guarantee on SSDs or
     * copy-on-write file systems (crypto-shredding is the guarantee).
     */
    public static void wipeAndDelete(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            long size = channel.size();
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(size, 1 << 16));
            long position = 0;
            while (position < size) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
            channel.force(true);
        }
        Files.delete(file);
        syncDirectory(file.toAbsolutePath().getParent());
    }
}
