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
 */
final class ChainCursor {
    private final byte[] writerPublicKey;
    /** Records up to this sequence skip the signature check: a verified checkpoint vouches for them. */
    private final long vouchedThrough;
    private long nextSequence;
    private byte[] previousHash;
    private long lastOffset = -1;

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
    }

    /** A cursor at the start of a journal written by {@code writerPublicKey}. */
    static ChainCursor fromGenesis(byte[] writerPublicKey) {
        return new ChainCursor(writerPublicKey, 1, RecordFormat.genesisHash(writerPublicKey));
    }

    JournalRecord accept(long offset, byte[] frame) throws JournalCorruptException {
        JournalRecord record;
        try {
            record = RecordFormat.decode(frame);
        } catch (FormatException e) {
            throw fault(offset, Defect.MALFORMED, e.getMessage());
        }
        if (record.sequence() != nextSequence) {
            throw fault(offset, Defect.SEQUENCE_GAP, "expected sequence " + nextSequence + ", found " + record.sequence());
        }
        if (writerPublicKey != null && record.sequence() > vouchedThrough) {
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
