package dev.keyescrow.journal;

import java.time.Instant;
import java.util.HexFormat;

/**
 * One signed journal record (format in {@code docs/spec/journal.md}): a sequence number, a
 * time, the previous record's hash, a body with its {@code kind}, and the writer's signature.
 *
 * <p>Immutable; byte arrays are copied in and out. A value is only ever built by
 * {@link RecordFormat#sign} or {@link RecordFormat#decode}, so its {@link #hash()} always
 * matches its fields. The body is opaque here: callers journal public facts and hashes of
 * secrets (wrapped blobs live in the blob store), never a plaintext secret.
 */
public final class JournalRecord {
    private final int version;
    private final long sequence;
    private final long timeMillis;
    private final byte[] previousHash;
    private final String kind;
    private final byte[] body;
    private final byte[] signature;
    private final byte[] hash;
    private final byte[] encoded;

    /** {@code signature} is {@code null} for a chained version-2 record (its batch's seal is signed). */
    JournalRecord(int version, long sequence, long timeMillis, byte[] previousHash, String kind, byte[] body,
            byte[] signature, byte[] hash, byte[] encoded) {
        this.version = version;
        this.sequence = sequence;
        this.timeMillis = timeMillis;
        this.previousHash = previousHash;
        this.kind = kind;
        this.body = body;
        this.signature = signature;
        this.hash = hash;
        this.encoded = encoded;
    }

    /** The format version: 1 (signed) or 2 (group commit, signed when {@link #sealed()}). */
    public int version() {
        return version;
    }

    /**
     * True when the record carries the writer's signature: every version-1 record, and the last
     * record of a version-2 batch. A chained record is vouched for by the next seal, through the chain.
     */
    public boolean sealed() {
        return signature != null;
    }

    /** Position in the journal, from 1, without gaps. */
    public long sequence() {
        return sequence;
    }

    /** Milliseconds since the Unix epoch (UTC) when the writer appended the record. */
    public long timeMillis() {
        return timeMillis;
    }

    public Instant time() {
        return Instant.ofEpochMilli(timeMillis);
    }

    /** Hash of the record before this one; for record 1, {@link RecordFormat#genesisHash}. */
    public byte[] previousHash() {
        return previousHash.clone();
    }

    /** What the body is, an identifier such as {@code share-imported}. */
    public String kind() {
        return kind;
    }

    public byte[] body() {
        return body.clone();
    }

    /** The signature, or an empty array for a chained record (see {@link #sealed()}). */
    public byte[] signature() {
        return signature == null ? new byte[0] : signature.clone();
    }

    /** The record hash: SHA-256 of its signing input (signature excluded, see the spec). */
    public byte[] hash() {
        return hash.clone();
    }

    public String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    /** The exact bytes stored in the journal frame. */
    public byte[] encoded() {
        return encoded.clone();
    }

    int encodedLength() {
        return encoded.length;
    }

    @Override
    public String toString() {
        return "JournalRecord[" + sequence + ", " + kind + ", " + body.length + " bytes, hash " + hashHex() + "]";
    }
}
