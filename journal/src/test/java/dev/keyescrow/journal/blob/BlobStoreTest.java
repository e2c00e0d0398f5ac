package dev.keyescrow.journal.blob;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BlobStoreTest {
    @TempDir
    Path dir;

    private final Random random = new Random(20261128);

    private byte[] randomBlob(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Every file of the store directory that contains {@code needle}. */
    private List<Path> filesContaining(byte[] needle) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void putGetAndDeleteSurviveReopen() throws IOException {
        byte[] a = randomBlob(100);
        byte[] b = randomBlob(1);
        BlobId idA;
        BlobId idB;
        try (BlobStore store = BlobStore.open(dir)) {
            idA = store.put(a);
            idB = store.put(b);
            assertEquals(BlobId.of(a), idA);
            assertEquals(idA, store.put(a));
            assertArrayEquals(a, store.get(idA).orElseThrow());
            assertTrue(store.delete(idB));
            assertFalse(store.delete(idB));
            assertTrue(store.get(idB).isEmpty());
        }
        try (BlobStore store = BlobStore.open(dir)) {
            assertEquals(Set.of(idA), store.ids());
            assertArrayEquals(a, store.get(idA).orElseThrow());
            assertTrue(store.get(idB).isEmpty());
            assertEquals(BlobEntry.HEADER + 1, store.garbageBytes());
        }
    }

    @Test
    void compactionRemovesDeletedBytesFromEveryFileAndKeepsTheRest() throws IOException {
        byte[] doomed = randomBlob(2048);
        List<byte[]> survivors = List.of(randomBlob(10), randomBlob(5000), randomBlob(300));
        try (BlobStore store = BlobStore.open(dir)) {
            store.put(survivors.get(0));
            BlobId doomedId = store.put(doomed);
            store.put(survivors.get(1));
            store.put(survivors.get(2));
            store.delete(doomedId);
            // delete alone leaves the bytes on disk: that is why shredding ends with compact
            assertFalse(filesContaining(doomed).isEmpty());
            store.compact();
            assertEquals(List.of(), filesContaining(doomed));
            assertEquals(0, store.garbageBytes());
            for (byte[] survivor : survivors) {
                assertArrayEquals(survivor, store.get(BlobId.of(survivor)).orElseThrow());
            }
            store.put(randomBlob(50));
        }
        try (BlobStore store = BlobStore.open(dir)) {
            assertEquals(4, store.ids().size());
            for (byte[] survivor : survivors) {
                assertArrayEquals(survivor, store.get(BlobId.of(survivor)).orElseThrow());
            }
        }
        assertEquals(List.of(), filesContaining(doomed));
    }

    @ParameterizedTest
    @EnumSource(CompactionStage.class)
    void aCrashDuringCompactionLeavesACompleteStore(CompactionStage crashAt) throws IOException {
        byte[] doomed = randomBlob(1500);
        byte[] kept = randomBlob(700);
        BlobStore store = BlobStore.open(dir, stage -> {
            if (stage == crashAt) {
                throw new SimulatedCrash();
            }
        });
        store.put(kept);
        store.delete(store.put(doomed));
        assertThrows(SimulatedCrash.class, store::compact);
        store.close(); // releases the descriptor only; the files are as the crash left them

        try (BlobStore reopened = BlobStore.open(dir)) {
            assertEquals(Set.of(BlobId.of(kept)), reopened.ids());
            assertArrayEquals(kept, reopened.get(BlobId.of(kept)).orElseThrow());
            assertTrue(reopened.get(BlobId.of(doomed)).isEmpty());
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(2, files.count(), "CURRENT and exactly one generation remain");
            }
            if (crashAt == CompactionStage.SWITCHED) {
                assertEquals(List.of(), filesContaining(doomed));
            }
            reopened.compact();
            assertEquals(List.of(), filesContaining(doomed));
        }
    }

    @Test
    void aBlobWhoseBytesWereAlteredIsRefused() throws IOException {
        byte[] blob = randomBlob(64);
        try (BlobStore store = BlobStore.open(dir)) {
            store.put(blob);
        }
        Path data = dir.resolve("blobs-1.dat");
        byte[] bytes = Files.readAllBytes(data);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(data, bytes);
        try (BlobStore store = BlobStore.open(dir)) {
            assertThrows(DamagedBlobStoreException.class, () -> store.get(BlobId.of(blob)));
            assertThrows(DamagedBlobStoreException.class, store::compact);
        }
    }

    @Test
    void aTornLastEntryIsCut() throws IOException {
        byte[] blob = randomBlob(64);
        try (BlobStore store = BlobStore.open(dir)) {
            store.put(blob);
        }
        Path data = dir.resolve("blobs-1.dat");
        long size = Files.size(data);
        Files.write(data, new byte[] {0, 0, 1, 0, 1, 1}, java.nio.file.StandardOpenOption.APPEND);
        try (BlobStore store = BlobStore.open(dir)) {
            assertArrayEquals(blob, store.get(BlobId.of(blob)).orElseThrow());
            assertEquals(size, Files.size(data));
        }
    }

    @Test
    void aCurrentFileNamingAMissingGenerationIsRefused() throws IOException {
        try (BlobStore store = BlobStore.open(dir)) {
            store.put(randomBlob(8));
        }
        Files.writeString(dir.resolve(BlobStore.CURRENT), "blobs-9.dat\n");
        assertThrows(DamagedBlobStoreException.class, () -> BlobStore.open(dir));
    }

    @Test
    void blobIdsAreLowercaseHexSha256() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BlobId.of(new byte[0]).hex());
        assertThrows(IllegalArgumentException.class,
                () -> BlobId.parse("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"));
    }

    /** Stands in for the process dying at a compaction stage. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash() {
            super("simulated crash");
        }
    }
}
