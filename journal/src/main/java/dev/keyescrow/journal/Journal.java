package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.internal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A member's journal: an append-only file ({@value #JOURNAL_FILE}) of hash-chained records
 * signed by the member's key, with a signed checkpoint ({@value #CHECKPOINT_FILE}) beside it.
 *
 * <p>Durability: {@link #append} returns only after the record is fsynced (and the directory,
 * when the file was created), so an acknowledged record survives {@code kill -9}. If a batch's
 * write or fsync fails (a full disk), none of its records is acknowledged and the head does not
 * move; the next append first cuts the failed batch's bytes back to the last durable record
 * (failing again while the device still refuses), so a member takes appends again once space
 * returns, without a restart.
 *
 * <p>Group commit: appends that arrive while a batch is being written wait, and the next batch
 * takes them all (up to {@value #MAX_BATCH_RECORDS} records, about {@value #MAX_BATCH_BYTES}
 * bytes of bodies): one write, one fsync and one signature for the batch. Each record is still
 * hash-chained to the one before; only the batch's last record (its seal, record version 2) is
 * signed, which vouches for the rest through the chain (see {@link RecordFormat}). A caller
 * returns only when the batch holding its record is fsynced, so "acknowledged means durable"
 * holds record by record. A lone append is a batch of one: it costs what it cost before.
 *
 * <p>Open: a torn last record (incomplete bytes) is cut and reported in {@link #openReport()};
 * a complete record that is missing, altered or signed by another key fails the open with
 * {@link JournalCorruptException} naming its sequence and offset — the caller stops. With a
 * checkpoint, open verifies the checkpoint's signature, verifies that the record it names is
 * still at its offset with its hash, and replays only the records after it (see
 * {@link Checkpoint} for why that is enough).
 *
 * <p>Thread-safe; appends are serialised in batches. One process opens a journal at a time (the server
 * owns its state directory).
 */
public final class Journal implements AutoCloseable {
    public static final String JOURNAL_FILE = "journal.log";
    public static final String CHECKPOINT_FILE = "checkpoint";
    /**
     * The writer's public key (base64 of the 65-byte point), written beside the journal so an
     * auditor's tool can find it; the auditor still compares its fingerprint out of band.
     */
    public static final String WRITER_KEY_FILE = "writer.pub";
    /** Most records in one batch; must not exceed what readers accept without a seal. */
    static final int MAX_BATCH_RECORDS = 256;
    /** A batch stops taking records once their bodies reach this many bytes (one record always fits). */
    static final int MAX_BATCH_BYTES = 1 << 20;

    private final Path directory;
    private final AppendOnlyLog log;
    private final Signer writer;
    private final byte[] writerPublicKey;
    private final Clock clock;
    private final OpenReport openReport;
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled each time a batch is finished (written or failed). */
    private final Condition batchDone = lock.newCondition();
    private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
    /** True while one caller (the batch's leader) writes a batch outside the lock. */
    private boolean writing;
    private long headSequence;
    private byte[] headHash;
    private long headOffset;

    private Journal(Path directory, AppendOnlyLog log, Signer writer, byte[] writerPublicKey, Clock clock,
            ChainCursor cursor, OpenReport openReport) {
        this.directory = directory;
        this.log = log;
        this.writer = writer;
        this.writerPublicKey = writerPublicKey;
        this.clock = clock;
        this.openReport = openReport;
        this.headSequence = cursor.sealedSequence();
        this.headHash = cursor.sealedHash();
        this.headOffset = cursor.sealedOffset();
    }

    /**
     * Opens (or creates) the journal in {@code directory}, written and verified with
     * {@code writer}'s key, replaying into {@code handler}.
     *
     * @throws JournalCorruptException a complete record or the checkpoint is bad: stop
     * @throws IOException             the files cannot be read or written
     */
    public static Journal open(Path directory, Signer writer, Clock clock, ReplayHandler handler)
            throws IOException, JournalCorruptException {
        return open(directory, writer, clock, handler, AppendHook.NONE);
    }

    static Journal open(Path directory, Signer writer, Clock clock, ReplayHandler handler, AppendHook hook)
            throws IOException, JournalCorruptException {
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(handler, "handler");
        DurableFiles.createDirectory(directory);
        byte[] publicKey = writer.publicKey();
        Path file = directory.resolve(JOURNAL_FILE);
        Path keyFile = directory.resolve(WRITER_KEY_FILE);
        if (!Files.exists(keyFile)) {
            DurableFiles.replaceAtomically(keyFile, (java.util.Base64.getEncoder().encodeToString(publicKey) + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Files.deleteIfExists(DurableFiles.temporaryOf(directory.resolve(CHECKPOINT_FILE)));
        Checkpoint checkpoint = readCheckpoint(directory, publicKey);
        ChainCursor cursor;
        long from = 0;
        if (checkpoint == null) {
            cursor = ChainCursor.fromGenesis(publicKey);
        } else {
            long size = Files.exists(file) ? Files.size(file) : 0;
            if (checkpoint.recordOffset() + AppendOnlyLog.HEADER > size) {
                throw mismatch(checkpoint, "the journal has " + size + " bytes and ends before the checkpointed record");
            }
            if (handler.wantsCheckpointedPrefix()) {
                cursor = new ChainCursor(publicKey, 1, RecordFormat.genesisHash(publicKey), checkpoint.sequence());
            } else {
                from = checkpoint.recordOffset();
                cursor = new ChainCursor(publicKey, checkpoint.sequence(), null);
            }
            handler.checkpoint(checkpoint);
        }
        Replay replay = new Replay(cursor, checkpoint, handler);
        AppendOnlyLog log;
        try {
            log = AppendOnlyLog.open(file, from, replay, hook);
        } catch (ImpossibleFrameLengthException e) {
            throw cursor.fault(e.offset(), Defect.IMPOSSIBLE_LENGTH, e.getMessage());
        }
        try {
            if (checkpoint != null && !replay.anchorSeen) {
                throw mismatch(checkpoint, "the checkpointed record is not complete in the journal (truncated)");
            }
            if (cursor.unsealedFrom() >= 0) {
                // a batch whose seal never reached the disk: none of it was acknowledged, cut it like torn bytes
                log.treatAsTornFrom(cursor.unsealedFrom());
            }
            long torn = log.tornBytes();
            log.cutTornTail();
            OpenReport report = new OpenReport(torn, checkpoint == null ? 0 : checkpoint.sequence(), replay.replayed,
                    new JournalHead(cursor.sealedSequence(), cursor.sealedHash()));
            return new Journal(directory, log, writer, publicKey, clock, cursor, report);
        } catch (IOException | JournalCorruptException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Appends a record and returns it once it is durable (with the records of the same batch).
     *
     * @throws KeyEscrowException the signer could not sign: nothing of the batch was written, do not acknowledge
     * @throws IOException        the write or fsync failed: not acknowledged; the next append cuts its bytes
     */
    public JournalRecord append(String kind, byte[] body) throws IOException, KeyEscrowException {
        // checked here so that a bad argument fails its own caller, never a batch of others
        RecordFormat.checkFields(1, 0, new byte[RecordFormat.HASH_LENGTH], kind, body);
        PendingAppend mine = new PendingAppend(kind, body.clone());
        lock.lock();
        try {
            queue.add(mine);
            while (!mine.done) {
                if (writing) {
                    batchDone.awaitUninterruptibly();
                } else {
                    writeNextBatch();
                }
            }
        } finally {
            lock.unlock();
        }
        return mine.outcome();
    }

    /**
     * Appends {@code bodies} as records of {@code kind}, in order and in one batch (one write,
     * one fsync, one signature), and returns one record per body once the batch is durable. All
     * or nothing: the records are never split between two batches, so a failure leaves none of
     * them written. For a service that validated a burst of events and journals them together.
     *
     * @throws IllegalArgumentException more than {@value #MAX_BATCH_RECORDS} bodies or more than
     *                                  {@value #MAX_BATCH_BYTES} bytes of them: split the burst
     * @throws KeyEscrowException       the signer could not sign: none of them was written
     * @throws IOException              the write or fsync failed: none acknowledged; the next append cuts their bytes
     */
    public List<JournalRecord> appendAll(String kind, List<byte[]> bodies) throws IOException, KeyEscrowException {
        if (bodies.isEmpty()) {
            return List.of();
        }
        if (bodies.size() > MAX_BATCH_RECORDS) {
            throw new IllegalArgumentException("at most " + MAX_BATCH_RECORDS + " records in one batch");
        }
        List<PendingAppend> mine = new ArrayList<>(bodies.size());
        long bytes = 0;
        for (byte[] body : bodies) {
            RecordFormat.checkFields(1, 0, new byte[RecordFormat.HASH_LENGTH], kind, body);
            mine.add(new PendingAppend(kind, body.clone()));
            bytes += body.length;
        }
        if (bodies.size() > 1 && bytes > MAX_BATCH_BYTES) {
            throw new IllegalArgumentException("at most " + MAX_BATCH_BYTES + " bytes of bodies in one batch");
        }
        mine.get(0).startGroup(mine.size(), bytes);
        PendingAppend last = mine.get(mine.size() - 1);
        lock.lock();
        try {
            queue.addAll(mine);
            while (!last.done) {
                if (writing) {
                    batchDone.awaitUninterruptibly();
                } else {
                    writeNextBatch();
                }
            }
        } finally {
            lock.unlock();
        }
        List<JournalRecord> records = new ArrayList<>(mine.size());
        for (PendingAppend p : mine) {
            records.add(p.outcome());
        }
        return records;
    }

    /**
     * Called with the lock held: takes a batch from the queue and writes it with the lock
     * released. An {@link #appendAll} group goes whole into one batch, never split.
     */
    private void writeNextBatch() {
        List<PendingAppend> batch = new ArrayList<>();
        long bytes = 0;
        while (!queue.isEmpty()) {
            PendingAppend head = queue.peek();
            if (!batch.isEmpty() && (batch.size() + head.groupSize > MAX_BATCH_RECORDS
                    || bytes + head.groupBytes > MAX_BATCH_BYTES)) {
                break;
            }
            for (int i = head.groupSize; i > 0; i--) {
                batch.add(queue.poll());
            }
            bytes += head.groupBytes;
        }
        writing = true;
        long sequence = headSequence;
        byte[] previous = headHash;
        List<JournalRecord> records = new ArrayList<>(batch.size());
        long[] offsets = null;
        Exception failure = null;
        lock.unlock();
        try {
            long time = clock.millis();
            List<byte[]> frames = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                PendingAppend p = batch.get(i);
                JournalRecord record = RecordFormat.batched(i == batch.size() - 1 ? writer : null, sequence + 1 + i,
                        time, previous, p.kind, p.body);
                records.add(record);
                frames.add(record.encoded());
                previous = record.hash();
            }
            offsets = log.appendAll(frames);
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            failure = e;
        } finally {
            lock.lock();
            if (failure == null && offsets != null) {
                JournalRecord last = records.get(records.size() - 1);
                headSequence = last.sequence();
                headHash = last.hash();
                headOffset = offsets[offsets.length - 1];
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).finish(failure == null && offsets != null ? records.get(i) : null, failure);
            }
            writing = false;
            batchDone.signalAll();
        }
    }

    /** The last record's sequence and hash (sequence 0 and the genesis hash when empty). */
    public JournalHead head() {
        lock.lock();
        try {
            return new JournalHead(headSequence, headHash);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes a signed checkpoint of {@code state}, which must be the caller's state after
     * every record up to {@link #head()} (hold off appends while taking it). Atomic: a crash
     * leaves the previous checkpoint or this one, never a mix.
     */
    public Checkpoint checkpoint(byte[] state) throws IOException, KeyEscrowException {
        lock.lock();
        try {
            while (writing) {
                batchDone.awaitUninterruptibly();
            }
            if (headSequence == 0) {
                throw new IllegalStateException("an empty journal has nothing to checkpoint");
            }
            Checkpoint checkpoint = CheckpointFormat.sign(writer, headSequence, headOffset, headHash, clock.millis(),
                    state);
            DurableFiles.replaceAtomically(directory.resolve(CHECKPOINT_FILE), checkpoint.encoded());
            return checkpoint;
        } finally {
            lock.unlock();
        }
    }

    /** This journal's head as a signed statement, for the other members to witness. */
    public SignedHead publishHead(String journalId) throws KeyEscrowException {
        long sequence;
        byte[] hash;
        lock.lock();
        try {
            sequence = headSequence;
            hash = headHash;
        } finally {
            lock.unlock();
        }
        if (sequence == 0) {
            throw new IllegalStateException("an empty journal has no head to publish");
        }
        return HeadFormat.sign(writer, journalId, sequence, hash, clock.millis());
    }

    public OpenReport openReport() {
        return openReport;
    }

    /** The journal file, for {@link JournalVerifier} and {@link HeadCheck}. */
    public Path file() {
        return log.file();
    }

    public byte[] writerPublicKey() {
        return writerPublicKey.clone();
    }

    @Override
    public void close() throws IOException {
        log.close();
    }

    private static Checkpoint readCheckpoint(Path directory, byte[] publicKey) throws IOException,
            JournalCorruptException {
        Path path = directory.resolve(CHECKPOINT_FILE);
        if (!Files.exists(path)) {
            return null;
        }
        Checkpoint checkpoint;
        try {
            checkpoint = CheckpointFormat.decode(Files.readAllBytes(path));
        } catch (JournalFormatException e) {
            throw new JournalCorruptException(new RecordFault(0, 0, Defect.CHECKPOINT_INVALID, e.getMessage()));
        }
        try {
            CheckpointFormat.verifySignature(checkpoint, publicKey);
        } catch (SignatureException e) {
            throw new JournalCorruptException(new RecordFault(checkpoint.sequence(), checkpoint.recordOffset(),
                    Defect.CHECKPOINT_INVALID, "checkpoint not signed by the pinned writer key: " + e.getMessage()));
        }
        return checkpoint;
    }

    private static JournalCorruptException mismatch(Checkpoint checkpoint, String detail) {
        return new JournalCorruptException(new RecordFault(checkpoint.sequence(), checkpoint.recordOffset(),
                Defect.CHECKPOINT_MISMATCH, detail));
    }

    /** Checks each frame with the cursor; the first one after a checkpoint must be its record. */
    private static final class Replay implements FrameVisitor<JournalCorruptException> {
        private final ChainCursor cursor;
        private final Checkpoint checkpoint;
        private final ReplayHandler handler;
        private boolean anchorSeen;
        private long replayed;
        /** Chained records waiting for their batch's seal: handed over only once it verifies. */
        private final List<JournalRecord> unsealed = new ArrayList<>();

        Replay(ChainCursor cursor, Checkpoint checkpoint, ReplayHandler handler) {
            this.cursor = cursor;
            this.checkpoint = checkpoint;
            this.handler = handler;
        }

        @Override
        public void frame(long offset, byte[] frame) throws JournalCorruptException {
            JournalRecord record = cursor.accept(offset, frame);
            if (checkpoint != null && !anchorSeen && record.sequence() == checkpoint.sequence()) {
                if (offset != checkpoint.recordOffset()) {
                    throw mismatch(checkpoint, "record " + record.sequence() + " is at byte " + offset
                            + ", not at the checkpoint's offset");
                }
                if (!Arrays.equals(record.hash(), checkpoint.headHash())) {
                    throw mismatch(checkpoint, "the record at the checkpoint's offset has hash " + record.hashHex()
                            + ", not the checkpointed head hash");
                }
                anchorSeen = true;
                if (!handler.wantsCheckpointedPrefix()) {
                    unsealed.clear();
                    return;
                }
            }
            unsealed.add(record);
            if (cursor.unsealedFrom() < 0) {
                for (JournalRecord r : unsealed) {
                    replayed++;
                    handler.record(r);
                }
                unsealed.clear();
            }
        }
    }
}
