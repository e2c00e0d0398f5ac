package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.internal.DurableFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;

/**
 * A member's journal: an append-only file ({@value #JOURNAL_FILE}) of hash-chained records
 * signed by the member's key, with a signed checkpoint ({@value #CHECKPOINT_FILE}) beside it.
 *
 * <p>Durability: {@link #append} returns only after the record is fsynced (and the directory,
 * when the file was created), so an acknowledged record survives {@code kill -9}. If an append
 * fails half-way, this object refuses further appends (audit fails closed): reopen it.
 *
 * <p>Open: a torn last record (incomplete bytes) is cut and reported in {@link #openReport()};
 * a complete record that is missing, altered or signed by another key fails the open with
 * {@link JournalCorruptException} naming its sequence and offset — the caller stops. With a
 * checkpoint, open verifies the checkpoint's signature, verifies that the record it names is
 * still at its offset with its hash, and replays only the records after it (see
 * {@link Checkpoint} for why that is enough).
 *
 * <p>Thread-safe; appends are serialised. One process opens a journal at a time (the server
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

    private final Path directory;
    private final AppendOnlyLog log;
    private final Signer writer;
    private final byte[] writerPublicKey;
    private final Clock clock;
    private final OpenReport openReport;
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
        this.headSequence = cursor.nextSequence() - 1;
        this.headHash = cursor.previousHash();
        this.headOffset = cursor.lastOffset();
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
            long torn = log.tornBytes();
            log.cutTornTail();
            OpenReport report = new OpenReport(torn, checkpoint == null ? 0 : checkpoint.sequence(), replay.replayed,
                    new JournalHead(cursor.nextSequence() - 1, cursor.previousHash()));
            return new Journal(directory, log, writer, publicKey, clock, cursor, report);
        } catch (IOException | JournalCorruptException | RuntimeException e) {
            log.close();
            throw e;
        }
    }

    /**
     * Appends a record and returns it once it is durable.
     *
     * @throws KeyEscrowException the signer could not sign: nothing was written, do not acknowledge
     * @throws IOException        the write or fsync failed: the journal is now closed to appends
     */
    public synchronized JournalRecord append(String kind, byte[] body) throws IOException, KeyEscrowException {
        JournalRecord record = RecordFormat.sign(writer, headSequence + 1, clock.millis(), headHash, kind, body);
        long offset = log.append(record.encoded());
        headSequence = record.sequence();
        headHash = record.hash();
        headOffset = offset;
        return record;
    }

    /** The last record's sequence and hash (sequence 0 and the genesis hash when empty). */
    public synchronized JournalHead head() {
        return new JournalHead(headSequence, headHash);
    }

    /**
     * Writes a signed checkpoint of {@code state}, which must be the caller's state after
     * every record up to {@link #head()} (hold off appends while taking it). Atomic: a crash
     * leaves the previous checkpoint or this one, never a mix.
     */
    public synchronized Checkpoint checkpoint(byte[] state) throws IOException, KeyEscrowException {
        if (headSequence == 0) {
            throw new IllegalStateException("an empty journal has nothing to checkpoint");
        }
        Checkpoint checkpoint = CheckpointFormat.sign(writer, headSequence, headOffset, headHash, clock.millis(), state);
        DurableFiles.replaceAtomically(directory.resolve(CHECKPOINT_FILE), checkpoint.encoded());
        return checkpoint;
    }

    /** This journal's head as a signed statement, for the other members to witness. */
    public synchronized SignedHead publishHead(String journalId) throws KeyEscrowException {
        if (headSequence == 0) {
            throw new IllegalStateException("an empty journal has no head to publish");
        }
        return HeadFormat.sign(writer, journalId, headSequence, headHash, clock.millis());
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
        } catch (FormatException e) {
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
                    return;
                }
            }
            replayed++;
            handler.record(record);
        }
    }
}
