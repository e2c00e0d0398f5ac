package dev.keyescrow.journal.blob;

import dev.keyescrow.journal.AppendOnlyLog;
import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.journal.internal.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Content-addressed blobs in one directory that this store owns.
 *
 * <p>Layout: a <em>generation</em> file {@code blobs-<n>.dat} (an {@link AppendOnlyLog} of
 * PUT and DELETE entries) and {@code CURRENT}, which names the live generation. {@link #put}
 * and {@link #delete} return after fsync. A deleted blob's bytes stay in the generation file
 * until {@link #compact}, which copies the live blobs into generation n+1, fsyncs it, switches
 * {@code CURRENT} atomically (write temp, fsync, rename, fsync directory), then overwrites the
 * old file with zeros and deletes it. A crash at any point leaves {@code CURRENT} naming a
 * complete generation; {@link #open} wipes whichever other generation file it finds. After
 * {@code compact} returns, no file of the directory holds a deleted blob's bytes.
 *
 * <p>Not thread-safe beyond its own synchronised methods; one process owns the directory.
 */
public final class BlobStore implements AutoCloseable {
    static final String CURRENT = "CURRENT";
    private static final Pattern GENERATION = Pattern.compile("blobs-(\\d{1,18})\\.dat");

    private final Path directory;
    private final CompactionHook hook;
    private long generation;
    private AppendOnlyLog log;
    private Map<BlobId, Long> index;
    private long garbageBytes;

    private BlobStore(Path directory, CompactionHook hook) {
        this.directory = directory;
        this.hook = hook;
    }

    /** Opens (or creates) the store in {@code directory}, finishing or undoing an interrupted compaction. */
    public static BlobStore open(Path directory) throws IOException {
        return open(directory, CompactionHook.NONE);
    }

    static BlobStore open(Path directory, CompactionHook hook) throws IOException {
        DurableFiles.createDirectory(directory);
        BlobStore store = new BlobStore(directory, hook);
        Path current = directory.resolve(CURRENT);
        Files.deleteIfExists(DurableFiles.temporaryOf(current));
        if (Files.exists(current)) {
            store.generation = parseCurrent(Files.readAllBytes(current));
            if (!Files.exists(store.generationFile(store.generation))) {
                throw new DamagedBlobStoreException("blob store CURRENT names generation " + store.generation
                        + ", whose file is missing");
            }
        } else {
            // a crash while creating the store: nothing in it was ever acknowledged
            store.generation = 1;
            removeGenerationsOtherThan(directory, -1);
            store.openLog();
            DurableFiles.replaceAtomically(current, currentContent(1));
        }
        removeGenerationsOtherThan(directory, store.generation);
        if (store.log == null) {
            store.openLog();
        }
        return store;
    }

    /** Stores {@code bytes} durably and returns their id (unchanged if already stored). */
    public synchronized BlobId put(byte[] bytes) throws IOException {
        BlobId id = BlobId.of(bytes);
        if (!index.containsKey(id)) {
            long offset = log.append(BlobEntry.encodePut(id, bytes));
            index.put(id, offset);
        }
        return id;
    }

    /** The blob's bytes, checked against its id; empty if it is not stored. */
    public synchronized Optional<byte[]> get(BlobId id) throws IOException {
        Long offset = index.get(id);
        if (offset == null) {
            return Optional.empty();
        }
        BlobEntry entry = BlobEntry.decode(log.readFrame(offset), offset);
        if (!entry.id().equals(id) || !MessageDigest.isEqual(BlobId.of(entry.bytes()).raw(), id.raw())) {
            throw new DamagedBlobStoreException("blob " + id + " at byte " + offset + " no longer hashes to its id");
        }
        return Optional.of(entry.bytes());
    }

    /**
     * Removes the blob from the store's view, durably. Its bytes remain on disk until
     * {@link #compact()}: shredding is delete, then compact.
     *
     * @return false if it was not stored
     */
    public synchronized boolean delete(BlobId id) throws IOException {
        Long offset = index.get(id);
        if (offset == null) {
            return false;
        }
        long length = log.readFrame(offset).length;
        log.append(BlobEntry.encodeDelete(id));
        index.remove(id);
        garbageBytes += length;
        return true;
    }

    public synchronized boolean contains(BlobId id) {
        return index.containsKey(id);
    }

    public synchronized Set<BlobId> ids() {
        return Set.copyOf(index.keySet());
    }

    /** Bytes of deleted blobs still on disk (what {@link #compact()} would remove). */
    public synchronized long garbageBytes() {
        return garbageBytes;
    }

    /** Rewrites the live blobs into a new generation and wipes the old one (see class comment). */
    public synchronized void compact() throws IOException {
        long next = generation + 1;
        Path nextFile = generationFile(next);
        DurableFiles.wipeAndDelete(nextFile);
        Map<BlobId, Long> nextIndex = new LinkedHashMap<>();
        try (FileChannel out = PrivateFiles.open(nextFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long position = 0;
            for (BlobId id : index.keySet()) {
                byte[] bytes = get(id).orElseThrow();
                byte[] frame = BlobEntry.encodePut(id, bytes);
                ByteBuffer buffer = ByteBuffer.allocate(4 + frame.length).putInt(frame.length).put(frame).flip();
                nextIndex.put(id, position);
                while (buffer.hasRemaining()) {
                    position += out.write(buffer, position);
                }
            }
            out.force(true);
        }
        DurableFiles.syncDirectory(directory);
        hook.at(CompactionStage.NEW_GENERATION_WRITTEN);
        DurableFiles.replaceAtomically(directory.resolve(CURRENT), currentContent(next));
        hook.at(CompactionStage.SWITCHED);
        Path previous = generationFile(generation);
        log.close();
        generation = next;
        DurableFiles.wipeAndDelete(previous);
        openLog();
        if (!index.keySet().equals(nextIndex.keySet())) {
            throw new DamagedBlobStoreException("compacted generation " + next + " does not hold the live blobs");
        }
    }

    @Override
    public synchronized void close() throws IOException {
        log.close();
    }

    private void openLog() throws IOException {
        Map<BlobId, Long> fresh = new LinkedHashMap<>();
        long[] garbage = {0};
        Map<BlobId, Long> lengths = new LinkedHashMap<>();
        log = AppendOnlyLog.open(generationFile(generation), (offset, frame) -> {
            BlobEntry entry = BlobEntry.decode(frame, offset);
            if (entry.op() == BlobEntry.PUT) {
                fresh.put(entry.id(), offset);
                lengths.put(entry.id(), (long) frame.length);
            } else if (fresh.remove(entry.id()) != null) {
                garbage[0] += lengths.remove(entry.id());
            }
        });
        log.cutTornTail();
        index = fresh;
        garbageBytes = garbage[0];
    }

    private Path generationFile(long n) {
        return directory.resolve("blobs-" + n + ".dat");
    }

    private static void removeGenerationsOtherThan(Path directory, long keep) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                Matcher m = GENERATION.matcher(file.getFileName().toString());
                if (m.matches() && Long.parseLong(m.group(1)) != keep) {
                    DurableFiles.wipeAndDelete(file);
                }
            }
        }
    }

    private static byte[] currentContent(long n) {
        return ("blobs-" + n + ".dat\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static long parseCurrent(byte[] content) throws DamagedBlobStoreException {
        String text = new String(content, StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("blobs-([1-9]\\d{0,17})\\.dat\n").matcher(text);
        if (!m.matches() || !Arrays.equals(content, text.getBytes(StandardCharsets.US_ASCII))) {
            throw new DamagedBlobStoreException("blob store CURRENT file is not \"blobs-<n>.dat\\n\"");
        }
        return Long.parseLong(m.group(1));
    }
}
