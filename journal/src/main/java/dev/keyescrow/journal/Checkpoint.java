package dev.keyescrow.journal;

import java.util.HexFormat;

/**
 * A signed snapshot of the caller's state after record {@link #sequence()}, with that record's
 * hash and the offset of its frame, so that opening the journal replays only what follows.
 *
 * <p>Why it can be trusted: it is signed by the journal's own writer key, which vouches for
 * the state exactly as it vouches for each record; and the journal, on open, checks that the
 * record at {@link #recordOffset()} is still the one with this sequence and hash (signed by the
 * same key) before replaying the records after it, each of which must chain to it. A full
 * audit ({@link JournalVerifier}) still checks every record from genesis.
 */
public final class Checkpoint {
    private final long sequence;
    private final long recordOffset;
    private final byte[] headHash;
    private final long timeMillis;
    private final byte[] state;
    private final byte[] signature;
    private final byte[] encoded;

    Checkpoint(long sequence, long recordOffset, byte[] headHash, long timeMillis, byte[] state, byte[] signature,
            byte[] encoded) {
        this.sequence = sequence;
        this.recordOffset = recordOffset;
        this.headHash = headHash;
        this.timeMillis = timeMillis;
        this.state = state;
        this.signature = signature;
        this.encoded = encoded;
    }

    /** Sequence number of the last record the state includes. */
    public long sequence() {
        return sequence;
    }

    /** Byte offset, in the journal file, of the frame of record {@link #sequence()}. */
    public long recordOffset() {
        return recordOffset;
    }

    public byte[] headHash() {
        return headHash.clone();
    }

    public JournalHead head() {
        return new JournalHead(sequence, headHash);
    }

    public long timeMillis() {
        return timeMillis;
    }

    /** The caller's state snapshot, opaque here (it must hold no plaintext secret). */
    public byte[] state() {
        return state.clone();
    }

    public byte[] signature() {
        return signature.clone();
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + sequence + " at byte " + recordOffset + ", head " + HexFormat.of().formatHex(headHash)
                + ", " + state.length + " bytes of state]";
    }
}
