package dev.keyescrow.journal.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files and directories private to the user that runs the service: directories 0700, files
 * 0600. The mode is given when the file is created (never set afterwards), so there is no
 * moment at which another user could open it; a file replaced by rename gets the private
 * mode of the temporary file that replaces it.
 *
 * <p>On a file system without POSIX permissions (where the operating system, not a mode,
 * decides who reads a file) files are created with the system's defaults and
 * {@link #requirePrivate} cannot check anything: it says so in a warning and lets the
 * service start.
 */
public final class PrivateFiles {
    /** {@code rwx------}. */
    public static final Set<PosixFilePermission> DIRECTORY = Set.copyOf(PosixFilePermissions.fromString("rwx------"));
    /** {@code rw-------}. */
    public static final Set<PosixFilePermission> FILE = Set.copyOf(PosixFilePermissions.fromString("rw-------"));

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final System.Logger LOG = System.getLogger("dev.keyescrow.files");

    private PrivateFiles() {
    }

    /** Whether the file system of {@code path} has POSIX permissions (checked and set here). */
    public static boolean hasPosixPermissions(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attributes that create a private file at {@code path} (none where there are no POSIX permissions). */
    public static FileAttribute<?>[] fileAttributes(Path path) {
        return hasPosixPermissions(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
                : new FileAttribute<?>[0];
    }

    /** The attributes that create a private directory at {@code path}. */
    public static FileAttribute<?>[] directoryAttributes(Path path) {
        return hasPosixPermissions(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIRECTORY)}
                : new FileAttribute<?>[0];
    }

    /**
     * Creates {@code directory} and every missing parent, each 0700. Directories that exist are
     * left as they are (the start-up check refuses a state directory that others can open).
     */
    public static Path createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return directory;
        }
        Files.createDirectories(absolute, directoryAttributes(absolute));
        return directory;
    }

    /** Opens {@code file} as {@link FileChannel#open} does; a file this creates is 0600. */
    public static FileChannel open(Path file, OpenOption... options) throws IOException {
        return FileChannel.open(file, Set.of(options), fileAttributes(file));
    }

    /** Creates {@code file} (0600) holding {@code content}; fails if it exists, never overwrites. */
    public static void createFile(Path file, byte[] content) throws IOException {
        try (FileChannel channel = open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, content);
            channel.force(true);
        }
    }

    /**
     * Replaces {@code target} with {@code content}: writes a fresh 0600 temporary file beside
     * it ({@code target + ".tmp"}), fsyncs it and renames it over {@code target}, so the file
     * is private whatever the mode of the one it replaces. The caller fsyncs the directory if
     * the rename must survive a power loss.
     */
    public static void replace(Path target, byte[] content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path temporary = temporaryOf(absolute);
        // a leftover may have any mode: the new temporary file must be created here, private
        Files.deleteIfExists(temporary);
        try (FileChannel channel = open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeFully(channel, content);
            channel.force(true);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("another writer is replacing " + absolute.getFileName(), e);
        }
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The temporary name {@link #replace} writes first; a leftover one is garbage. */
    public static Path temporaryOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp");
    }

    /**
     * Refuses, as ssh does, any of {@code paths} that exists and that its group or others can
     * read, write or enter; paths that do not exist yet are skipped (they will be created
     * private). Symbolic links are followed: the mode that counts is the target's.
     *
     * @throws ExposedFileException naming the first such path and the {@code chmod} that fixes it
     */
    public static void requirePrivate(Collection<PrivatePath> paths) throws IOException {
        for (PrivatePath p : paths) {
            requirePrivate(p.what(), p.path());
        }
    }

    /** As {@link #requirePrivate(Collection)}, for one path. */
    public static void requirePrivate(String what, Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            return;
        }
        if (!hasPosixPermissions(absolute)) {
            LOG.log(System.Logger.Level.WARNING, "the permissions of " + what + " '" + absolute + "' are not"
                    + " checked: its file system has no POSIX permissions; make sure only the service user can"
                    + " open it");
            return;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(absolute);
        if (mode.stream().noneMatch(OTHERS::contains)) {
            return;
        }
        boolean directory = Files.isDirectory(absolute, new LinkOption[0]);
        throw new ExposedFileException(what, absolute, octal(mode) + ", " + PosixFilePermissions.toString(mode),
                (directory ? "chmod 700 " : "chmod 600 ") + shellQuoted(absolute));
    }

    /** The path as one shell word: the fix can be pasted as it is. */
    private static String shellQuoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }

    private static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (PosixFilePermission p : mode) {
            bits |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", bits);
    }

    private static void writeFully(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
