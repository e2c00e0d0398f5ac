package dev.keyescrow.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Compares a journal file (a member's, or a copy it hands out) with a head that was witnessed
 * earlier: {@link HeadStatus#TRUNCATION} if the journal is shorter than the witnessed
 * sequence, {@link HeadStatus#FORK} if it holds another history up to it, OK otherwise.
 *
 * <p>Needs no key: the head was verified against the writer's pinned key when it was recorded
 * ({@link WitnessLog}), and record hashes do not depend on signatures. It checks sequences and
 * hash links up to the witnessed record, so a change anywhere before it shows. A copy re-signed
 * with another key forks at record 1, because the genesis hash binds the writer's key. Run
 * {@link JournalVerifier} too: this check does not look at signatures.
 */
public final class HeadCheck {
    private HeadCheck() {
    }

    /** @throws IOException the file cannot be read (not a verdict) */
    public static HeadCheckResult check(Path journalFile, SignedHead head) throws IOException {
        Objects.requireNonNull(head, "head");
        return check(journalFile, head.head());
    }

    /**
     * As {@link #check(Path, JournalHead)}, and also for the head of an empty journal
     * (sequence 0), whose hash is the genesis hash of {@code writerPublicKey}: the head an
     * auditor logs before the first record is written.
     */
    public static HeadCheckResult check(Path journalFile, JournalHead witnessed, byte[] writerPublicKey)
            throws IOException {
        if (witnessed.sequence() != 0) {
            return check(journalFile, witnessed);
        }
        if (MessageDigest.isEqual(RecordFormat.genesisHash(writerPublicKey), witnessed.hash())) {
            return new HeadCheckResult(HeadStatus.OK, 0, "the head of the empty journal is this writer's genesis hash");
        }
        return new HeadCheckResult(HeadStatus.FORK, 0, "sequence 0 is the genesis hash of the writer key, "
                + HexFormat.of().formatHex(RecordFormat.genesisHash(writerPublicKey)) + ", not " + witnessed.hashHex());
    }

    /** As {@link #check(Path, SignedHead)}, for a head already taken apart. */
    public static HeadCheckResult check(Path journalFile, JournalHead witnessed) throws IOException {
        Objects.requireNonNull(journalFile, "journalFile");
        long target = witnessed.sequence();
        ChainCursor cursor = new ChainCursor(null, 1, null);
        byte[][] found = new byte[1][];
        try {
            AppendOnlyLog.read(journalFile, 0, (offset, frame) -> {
                if (cursor.nextSequence() <= target) {
                    JournalRecord record = cursor.accept(offset, frame);
                    if (record.sequence() == target) {
                        found[0] = record.hash();
                    }
                }
            });
        } catch (JournalCorruptException e) {
            RecordFault fault = e.fault();
            return new HeadCheckResult(HeadStatus.FORK, fault.sequence(), fault.describe());
        } catch (ImpossibleFrameLengthException e) {
            if (cursor.nextSequence() <= target) {
                return new HeadCheckResult(HeadStatus.FORK, cursor.nextSequence(), e.getMessage());
            }
        }
        if (found[0] == null) {
            return new HeadCheckResult(HeadStatus.TRUNCATION, cursor.nextSequence(), "the journal has "
                    + (cursor.nextSequence() - 1) + " records; record " + target + " was witnessed");
        }
        if (!MessageDigest.isEqual(found[0], witnessed.hash())) {
            return new HeadCheckResult(HeadStatus.FORK, target, "record " + target + " has hash "
                    + HexFormat.of().formatHex(found[0]) + ", witnessed " + witnessed.hashHex());
        }
        return new HeadCheckResult(HeadStatus.OK, target, "record " + target + " matches the witnessed head");
    }
}
