package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Codec of a journal record, exactly as {@code docs/spec/journal.md} fixes it: version 1
 * (every record signed) and version 2 (group commit: a batch of records hash-chained as
 * before, and only the batch's last record, its <em>seal</em>, signed).
 *
 * <p>Why version 2 keeps the chain per record and the signature per batch: the seal's signing
 * input holds its previous hash, which holds the one before, back to the previous seal, so one
 * signature vouches for every record of the batch exactly as a signature on each would (an
 * altered record breaks the chain at the next record). A reader treats records after the last
 * seal as an unfinished batch: the writer acknowledges none of them before the seal is fsynced.
 *
 * <p>The record hash is SHA-256 of the signing input (the domain label followed by every
 * field before the signature), which is also the digest ECDSA signs. Leaving the signature
 * out of the hash keeps the chain independent of ECDSA's malleability; binding the writer's
 * public key into the genesis hash makes a copy re-signed with another key a different
 * chain, so a witnessed head shows it as a fork.
 */
public final class RecordFormat {
    public static final int VERSION = 1;
    /** The group-commit version: a seal flag after the body, a signature only on a batch's seal. */
    public static final int VERSION_BATCHED = 2;
    /** Domain separation of the record signature from every other thing the key signs. */
    public static final String SIGNING_LABEL = "keyescrow-journal-record-v1\n";
    /** The version-2 label: a v2 record's hash can never equal a v1 record's. */
    public static final String SIGNING_LABEL_V2 = "keyescrow-journal-record-v2\n";
    /** Seal flag of a version-2 record that the next seal vouches for (no signature follows). */
    static final int CHAINED = 0;
    /** Seal flag of a version-2 record that closes its batch (a signature follows). */
    static final int SEALED = 1;
    public static final String GENESIS_LABEL = "keyescrow-journal-genesis-v1\n";
    public static final int HASH_LENGTH = 32;
    public static final int MAX_BODY = 4 * 1024 * 1024;
    /** Version, sequence, time, previous hash, kind length, body length, signature. */
    static final int FIXED_OVERHEAD = 1 + 8 + 8 + 32 + 1 + 4 + 64;
    private static final String WHAT = "journal record";

    private RecordFormat() {
    }

    /** The previous-hash value of record 1: SHA-256(GENESIS_LABEL ‖ writer public key). */
    public static byte[] genesisHash(byte[] writerPublicKey) {
        Objects.requireNonNull(writerPublicKey, "writerPublicKey");
        return Sha256.of(GENESIS_LABEL.getBytes(StandardCharsets.US_ASCII), writerPublicKey);
    }

    /**
     * Builds and signs a record. The signature is normalised to low s.
     *
     * @throws KeyEscrowException if the signer cannot sign (the record must not be written)
     */
    public static JournalRecord sign(Signer writer, long sequence, long timeMillis, byte[] previousHash, String kind,
            byte[] body) throws KeyEscrowException {
        checkFields(sequence, timeMillis, previousHash, kind, body);
        byte[] content = new FieldWriter(FIXED_OVERHEAD + kind.length() + body.length)
                .u8(VERSION).u64(sequence).u64(timeMillis).bytes(previousHash).identifier(kind)
                .u32(body.length).bytes(body).toByteArray();
        return signed(writer, VERSION, sequence, timeMillis, previousHash, kind, body, content);
    }

    /**
     * Builds a version-2 record of a batch. With a {@code writer} it is the batch's seal and is
     * signed; without ({@code null}) it is chained, and only the seal that follows vouches for it.
     *
     * @throws KeyEscrowException if the signer cannot sign (nothing of the batch may be written)
     */
    public static JournalRecord batched(Signer writer, long sequence, long timeMillis, byte[] previousHash,
            String kind, byte[] body) throws KeyEscrowException {
        checkFields(sequence, timeMillis, previousHash, kind, body);
        byte[] content = new FieldWriter(FIXED_OVERHEAD + 1 + kind.length() + body.length)
                .u8(VERSION_BATCHED).u64(sequence).u64(timeMillis).bytes(previousHash).identifier(kind)
                .u32(body.length).bytes(body).u8(writer == null ? CHAINED : SEALED).toByteArray();
        if (writer != null) {
            return signed(writer, VERSION_BATCHED, sequence, timeMillis, previousHash, kind, body, content);
        }
        return new JournalRecord(VERSION_BATCHED, sequence, timeMillis, previousHash.clone(), kind, body.clone(),
                null, Sha256.of(signingInput(VERSION_BATCHED, content)), content);
    }

    /** Checks what the writer is about to append, so a bad argument fails alone and not a whole batch. */
    static void checkFields(long sequence, long timeMillis, byte[] previousHash, String kind, byte[] body) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence " + sequence + " is invalid: must be >= 1");
        }
        if (timeMillis < 0) {
            throw new IllegalArgumentException("time " + timeMillis + " is invalid: must be >= 0 (after 1970)");
        }
        if (previousHash == null || previousHash.length != HASH_LENGTH) {
            throw new IllegalArgumentException("previous hash must be 32 bytes");
        }
        Identifiers.require(kind, "record kind");
        Objects.requireNonNull(body, "body");
        if (body.length > MAX_BODY) {
            throw new IllegalArgumentException("body of " + body.length + " bytes exceeds " + MAX_BODY);
        }
    }

    private static JournalRecord signed(Signer writer, int version, long sequence, long timeMillis,
            byte[] previousHash, String kind, byte[] body, byte[] content) throws KeyEscrowException {
        byte[] signingInput = signingInput(version, content);
        byte[] signature = SignatureForm.normalize(writer.sign(signingInput));
        byte[] encoded = Arrays.copyOf(content, content.length + SignatureForm.LENGTH);
        System.arraycopy(signature, 0, encoded, content.length, SignatureForm.LENGTH);
        return new JournalRecord(version, sequence, timeMillis, previousHash.clone(), kind, body.clone(), signature,
                Sha256.of(signingInput), encoded);
    }

    /**
     * Parses one record, strictly; does not check its signature or its place in a chain
     * ({@link #verifySignature} and the journal do).
     */
    public static JournalRecord decode(byte[] encoded) throws JournalFormatException {
        Objects.requireNonNull(encoded, "encoded");
        FieldReader in = new FieldReader(encoded, WHAT);
        int version = in.u8("version");
        if (version != VERSION && version != VERSION_BATCHED) {
            throw new JournalFormatException(WHAT + ": unknown version " + version + " (this reader knows " + VERSION + " and "
                    + VERSION_BATCHED + ")");
        }
        long sequence = in.u63("sequence", 1);
        long time = in.u63("time", 0);
        byte[] previous = in.bytes(HASH_LENGTH, "previous hash");
        String kind = in.identifier("kind");
        long bodyLength = in.u32("body length");
        if (bodyLength > MAX_BODY) {
            throw new JournalFormatException(WHAT + ": body length " + bodyLength + " exceeds " + MAX_BODY);
        }
        byte[] body = in.bytes((int) bodyLength, "body");
        boolean sealed = true;
        if (version == VERSION_BATCHED) {
            int seal = in.u8("seal");
            if (seal != CHAINED && seal != SEALED) {
                throw new JournalFormatException(WHAT + ": seal flag " + seal + " is neither 0 (chained) nor 1 (sealed)");
            }
            sealed = seal == SEALED;
        }
        int contentLength = in.position();
        byte[] signature = null;
        if (sealed) {
            signature = in.bytes(SignatureForm.LENGTH, "signature");
        }
        in.requireEnd();
        if (sealed) {
            SignatureForm.requireCanonical(signature, WHAT);
        }
        byte[] hash = Sha256.of(signingInput(version, Arrays.copyOf(encoded, contentLength)));
        return new JournalRecord(version, sequence, time, previous, kind, body, signature, hash, encoded.clone());
    }

    /**
     * @throws SignatureException    if the record's signature does not verify under {@code writerPublicKey}
     * @throws IllegalStateException if the record is a chained version-2 record, which has no signature
     */
    public static void verifySignature(JournalRecord record, byte[] writerPublicKey) throws SignatureException {
        if (!record.sealed()) {
            throw new IllegalStateException("record " + record.sequence() + " is chained: its batch's seal is signed");
        }
        byte[] encoded = record.encoded();
        byte[] content = Arrays.copyOf(encoded, encoded.length - SignatureForm.LENGTH);
        EcdsaP256.verify(writerPublicKey, signingInput(record.version(), content), record.signature());
    }

    private static byte[] signingInput(int version, byte[] content) {
        byte[] label = (version == VERSION ? SIGNING_LABEL : SIGNING_LABEL_V2).getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(label, label.length + content.length);
        System.arraycopy(content, 0, input, label.length, content.length);
        return input;
    }
}
