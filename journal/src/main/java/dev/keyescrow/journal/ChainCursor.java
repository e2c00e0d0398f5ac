package dev.keyescrow.journal;

import dev.keyescrow.core.error.SignatureException;
import java.util.Arrays;

/**
 * Walks a journal record by record and names the first record that breaks it. The one place
 * that decides what a valid successor is, shared by {@link Journal} (on open),
 * {@link JournalVerifier} (offline audit) and {@link HeadCheck} (against a witnessed head), so
 * the three can never disagree.
 *
 * <p>Checks, in this order (the spec fixes it, so every implementation names the same defect):
 * the record parses; its sequence is the previous plus one; its signature verifies under the
 * pinned writer key (skipped when no key is given); its previous hash is the previous record's
 * hash (for the first record visited, only when that hash is known).
 *
 * <p>Group commit (record version 2): a chained record has no signature of its own; the next
 * sealed record's signature vouches for it through the chain. So the cursor keeps two heads:
 * the last record accepted (what the next must link to) and the last <em>sealed</em> one (what
 * the writer can have acknowledged). Chained records after the last seal are an unfinished
 * batch: {@link #unsealedFrom()} says where they start, and readers treat them like a torn tail.
 * A run of chained records longer than the writer ever makes ({@link #MAX_UNSEALED_RUN}) is
 * refused, so a forged file cannot make a reader buffer without bound.
 */
final class ChainCursor {
    /** The longest batch a writer makes (see {@link Journal}): a longer unsealed run is malformed. */
    static final int MAX_UNSEALED_RUN = 1024;
    private final byte[] writerPublicKey;
    /** Records up to this sequence skip the signature check: a verified checkpoint vouches for them. */
    private final long vouchedThrough;
    private long nextSequence;
    private byte[] previousHash;
    private long lastOffset = -1;
    /** Offset of the first chained record after the last seal, or -1 when the last record is sealed. */
    private long unsealedFrom = -1;
    private int unsealedRun;
    private long sealedSequence;
    private byte[] sealedHash;
    private long sealedOffset = -1;

    /**
     * @param writerPublicKey the pinned key, or {@code null} to check structure and links only
     * @param previousHash    hash the next record must link to, or {@code null} if unknown
     */
    ChainCursor(byte[] writerPublicKey, long nextSequence, byte[] previousHash) {
        this(writerPublicKey, nextSequence, previousHash, 0);
    }

    /**
     * @param vouchedThrough the sequence of a checkpoint whose signature was verified: records up
     *                       to it are checked for structure, sequence and links only, because the
     *                       hash chain ends at the checkpoint's signed head hash, which the caller
     *                       compares (a changed record changes every hash after it)
     */
    ChainCursor(byte[] writerPublicKey, long nextSequence, byte[] previousHash, long vouchedThrough) {
        this.vouchedThrough = vouchedThrough;
        this.writerPublicKey = writerPublicKey == null ? null : writerPublicKey.clone();
        this.nextSequence = nextSequence;
        this.previousHash = previousHash == null ? null : previousHash.clone();
        this.sealedSequence = nextSequence - 1;
        this.sealedHash = this.previousHash;
    }

    /** A cursor at the start of a journal written by {@code writerPublicKey}. */
    static ChainCursor fromGenesis(byte[] writerPublicKey) {
        return new ChainCursor(writerPublicKey, 1, RecordFormat.genesisHash(writerPublicKey));
    }

    JournalRecord accept(long offset, byte[] frame) throws JournalCorruptException {
        JournalRecord record;
        try {
            record = RecordFormat.decode(frame);
        } catch (JournalFormatException e) {
            throw fault(offset, Defect.MALFORMED, e.getMessage());
        }
        if (record.sequence() != nextSequence) {
            throw fault(offset, Defect.SEQUENCE_GAP, "expected sequence " + nextSequence + ", found " + record.sequence());
        }
        if (!record.sealed() && record.sequence() > vouchedThrough && unsealedRun >= MAX_UNSEALED_RUN) {
            throw fault(offset, Defect.MALFORMED, "more than " + MAX_UNSEALED_RUN
                    + " chained records without a seal (no writer makes such a batch)");
        }
        if (writerPublicKey != null && record.sequence() > vouchedThrough && record.sealed()) {
            try {
                RecordFormat.verifySignature(record, writerPublicKey);
            } catch (SignatureException e) {
                throw fault(offset, Defect.BAD_SIGNATURE, "not signed by the pinned writer key: " + e.getMessage());
            }
        }
        if (previousHash != null && !Arrays.equals(previousHash, record.previousHash())) {
            throw fault(offset, Defect.CHAIN_BROKEN, nextSequence == 1
                    ? "previous hash is not the genesis hash of the pinned writer key"
                    : "previous hash is not the hash of record " + (nextSequence - 1));
        }
        advance(record, offset);
        return record;
    }

    /** Records that {@code record} (already checked by the caller) is the last good one. */
    void advance(JournalRecord record, long offset) {
        nextSequence = record.sequence() + 1;
        previousHash = record.hash();
        lastOffset = offset;
        if (record.sealed() || record.sequence() <= vouchedThrough) {
            unsealedFrom = -1;
            unsealedRun = 0;
            sealedSequence = record.sequence();
            sealedHash = previousHash;
            sealedOffset = offset;
        } else {
            if (unsealedFrom < 0) {
                unsealedFrom = offset;
            }
            unsealedRun++;
        }
    }

    /** Offset where the chained records after the last seal start (an unfinished batch), or -1 if none. */
    long unsealedFrom() {
        return unsealedFrom;
    }

    /** Sequence of the last sealed record (or of the start, when none was accepted). */
    long sealedSequence() {
        return sealedSequence;
    }

    /** Hash of the last sealed record (or the starting hash; {@code null} if unknown). */
    byte[] sealedHash() {
        return sealedHash == null ? null : sealedHash.clone();
    }

    /** Offset of the last sealed record's frame, or -1 if none. */
    long sealedOffset() {
        return sealedOffset;
    }

    JournalCorruptException fault(long offset, Defect defect, String detail) {
        return new JournalCorruptException(new RecordFault(nextSequence, offset, defect, detail));
    }

    long nextSequence() {
        return nextSequence;
    }

    /** Hash of the last accepted record, or the starting hash if none ({@code null} if unknown). */
    byte[] previousHash() {
        return previousHash == null ? null : previousHash.clone();
    }

    /** Offset of the last accepted record's frame, or -1 if none. */
    long lastOffset() {
        return lastOffset;
    }
}
