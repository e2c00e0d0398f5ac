package dev.keyescrow.journal;

import java.util.HexFormat;

/**
 * A member's signed statement "my journal {@code journalId}, written by the key with this
 * fingerprint, had record {@code sequence} with hash {@code headHash} at {@code time}".
 * Members publish theirs and record each other's ({@link WitnessLog}); a later copy of the
 * journal that is shorter (truncated) or holds another record at that sequence (forked,
 * altered or re-signed) is caught by {@link HeadCheck}.
 */
public final class SignedHead {
    private final String journalId;
    private final byte[] writerFingerprint;
    private final long sequence;
    private final byte[] headHash;
    private final long timeMillis;
    private final byte[] signature;
    private final byte[] encoded;

    SignedHead(String journalId, byte[] writerFingerprint, long sequence, byte[] headHash, long timeMillis,
            byte[] signature, byte[] encoded) {
        this.journalId = journalId;
        this.writerFingerprint = writerFingerprint;
        this.sequence = sequence;
        this.headHash = headHash;
        this.timeMillis = timeMillis;
        this.signature = signature;
        this.encoded = encoded;
    }

    /** The member whose journal this is (a node or the coordinator id). */
    public String journalId() {
        return journalId;
    }

    /** SHA-256 of the writer's 65-byte public key (raw 32 bytes). */
    public byte[] writerFingerprint() {
        return writerFingerprint.clone();
    }

    public String writerFingerprintHex() {
        return HexFormat.of().formatHex(writerFingerprint);
    }

    public long sequence() {
        return sequence;
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

    public byte[] signature() {
        return signature.clone();
    }

    /** The bytes to publish to the cluster and to store. */
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public String toString() {
        return "SignedHead[" + journalId + ", " + sequence + ", " + HexFormat.of().formatHex(headHash) + "]";
    }
}
