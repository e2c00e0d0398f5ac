package dev.keyescrow.journal.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.journal.blob.BlobStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void directoriesAndTheirMissingParentsAreCreatedPrivate() throws Exception {
        Path deep = dir.resolve("a").resolve("b").resolve("c");
        PrivateFiles.createDirectories(deep);
        for (Path p : List.of(dir.resolve("a"), dir.resolve("a").resolve("b"), deep)) {
            assertEquals("rwx------", mode(p), p.toString());
        }
    }

    @Test
    void aReplacedFileIsPrivateWhateverTheModeOfTheFileOrLeftoverItReplaces() throws Exception {
        Path target = dir.resolve("config.json");
        Files.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Path leftover = PrivateFiles.temporaryOf(target);
        Files.writeString(leftover, "a crash left this");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-rw-rw-"));
        PrivateFiles.replace(target, "new".getBytes(StandardCharsets.US_ASCII));
        assertEquals("new", Files.readString(target));
        assertEquals("rw-------", mode(target));
        assertTrue(Files.notExists(leftover));
    }

    @Test
    void createFileIsPrivateAndNeverOverwrites() throws Exception {
        Path key = dir.resolve("key.pem");
        PrivateFiles.createFile(key, new byte[] {1, 2, 3});
        assertEquals("rw-------", mode(key));
        assertThrows(FileAlreadyExistsException.class, () -> PrivateFiles.createFile(key, new byte[] {9}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(key));
    }

    @Test
    void theRefusalNamesThePathItsModeAndTheChmodThatFixesIt() throws Exception {
        Path pin = Files.writeString(dir.resolve("it's a pin"), "1234");
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("rw-r-----"));
        ExposedFileException e = assertThrows(ExposedFileException.class,
                () -> PrivateFiles.requirePrivate("PIN file", pin));
        String quoted = "'" + pin.toAbsolutePath().toString().replace("'", "'\\''") + "'";
        assertEquals("chmod 600 " + quoted, e.fix());
        assertTrue(e.getMessage().startsWith("PIN file '" + pin.toAbsolutePath() + "' is open to other users (mode"
                + " 0640, rw-r-----)"), e.getMessage());
        assertTrue(e.getMessage().endsWith("Fix: chmod 600 " + quoted), e.getMessage());

        Path state = Files.createDirectory(dir.resolve("state"));
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx-----x"));
        ExposedFileException d = assertThrows(ExposedFileException.class,
                () -> PrivateFiles.requirePrivate(List.of(new PrivatePath("state directory", state))));
        assertEquals("chmod 700 '" + state.toAbsolutePath() + "'", d.fix(), "entering is access too");
    }

    @Test
    void privateAndMissingPathsPass() throws Exception {
        Path pin = dir.resolve("pin");
        PrivateFiles.createFile(pin, new byte[] {1});
        Files.setPosixFilePermissions(pin, PosixFilePermissions.fromString("r--------"));
        PrivateFiles.requirePrivate(List.of(new PrivatePath("PIN file", pin),
                new PrivatePath("state directory", dir.resolve("not yet created"))));
    }

    @Test
    void aCompactedBlobStoreIsStillPrivate() throws Exception {
        Path blobs = dir.resolve("blobs");
        try (BlobStore store = BlobStore.open(blobs)) {
            store.delete(store.put("sealed".getBytes(StandardCharsets.US_ASCII)));
            store.put("kept".getBytes(StandardCharsets.US_ASCII));
            store.compact();
        }
        try (Stream<Path> all = Files.walk(blobs)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                assertEquals(Files.isDirectory(p) ? "rwx------" : "rw-------", mode(p), p.toString());
            }
        }
    }
}
