package dev.keyescrow.journal;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The head of a journal: the sequence number of its last record and that record's hash. An
 * empty journal's head is sequence 0 with the genesis hash. Two heads with the same sequence
 * and different hashes are two histories.
 */
public final class JournalHead {
    private final long sequence;
    private final byte[] hash;

    public JournalHead(long sequence, byte[] hash) {
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence " + sequence + " is invalid: must be >= 0");
        }
        if (hash == null || hash.length != RecordFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("head hash must be 32 bytes");
        }
        this.sequence = sequence;
        this.hash = hash.clone();
    }

    public long sequence() {
        return sequence;
    }

    public byte[] hash() {
        return hash.clone();
    }

    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JournalHead other && other.sequence == sequence && Arrays.equals(other.hash, hash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(sequence) * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "JournalHead[" + sequence + ", " + hashHex() + "]";
    }
}
