package dev.keyescrow.cli;

import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A private file (0600) written whole or not at all: a temporary file beside the target is made first (so a
 * target that cannot be written is found before anything irreversible happens), then filled,
 * flushed to disk, and renamed into place; the directory is flushed too.
 */
final class AtomicFile implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private boolean committed;

    private AtomicFile(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /** Reserves a temporary file beside {@code target}; refuses an existing target or a directory it cannot write. */
    static AtomicFile prepare(Path target) throws BadInputException {
        Path absolute = target.toAbsolutePath();
        if (Files.exists(absolute)) {
            throw new BadInputException(target + " exists; refusing to overwrite");
        }
        Path directory = absolute.getParent();
        if (directory == null || !Files.isDirectory(directory)) {
            throw new BadInputException("cannot write " + target + ": " + directory + " is not a directory");
        }
        try {
            Path temp = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".partial",
                    PrivateFiles.fileAttributes(directory));
            return new AtomicFile(absolute, temp);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new BadInputException("cannot write in " + directory + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Writes {@code content}, forces it to disk, and renames it to the target. */
    void commit(byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString());
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        committed = true;
        try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // some file systems cannot flush a directory; the rename itself is done
        }
    }

    @Override
    public void close() {
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a leftover ".partial" file holds no more than what failed to be written
            }
        }
    }
}
