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
 * Codec of a journal record, version 1, exactly as {@code docs/spec/journal.md} fixes it.
 *
 * <p>The record hash is SHA-256 of the signing input (the domain label followed by every
 * field before the signature), which is also the digest ECDSA signs. Leaving the signature
 * out of the hash keeps the chain independent of ECDSA's malleability; binding the writer's
 * public key into the genesis hash makes a copy re-signed with another key a different
 * chain, so a witnessed head shows it as a fork.
 */
public final class RecordFormat {
    public static final int VERSION = 1;
    /** Domain separation of the record signature from every other thing the key signs. */
    public static final String SIGNING_LABEL = "keyescrow-journal-record-v1\n";
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
        byte[] content = new FieldWriter(FIXED_OVERHEAD + kind.length() + body.length)
                .u8(VERSION).u64(sequence).u64(timeMillis).bytes(previousHash).identifier(kind)
                .u32(body.length).bytes(body).toByteArray();
        byte[] signingInput = signingInput(content);
        byte[] signature = SignatureForm.normalize(writer.sign(signingInput));
        byte[] encoded = Arrays.copyOf(content, content.length + SignatureForm.LENGTH);
        System.arraycopy(signature, 0, encoded, content.length, SignatureForm.LENGTH);
        return new JournalRecord(sequence, timeMillis, previousHash.clone(), kind, body.clone(), signature,
                Sha256.of(signingInput), encoded);
    }

    /**
     * Parses one record, strictly; does not check its signature or its place in a chain
     * ({@link #verifySignature} and the journal do).
     */
    public static JournalRecord decode(byte[] encoded) throws FormatException {
        Objects.requireNonNull(encoded, "encoded");
        FieldReader in = new FieldReader(encoded, WHAT);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new FormatException(WHAT + ": unknown version " + version + " (this reader knows " + VERSION + ")");
        }
        long sequence = in.u63("sequence", 1);
        long time = in.u63("time", 0);
        byte[] previous = in.bytes(HASH_LENGTH, "previous hash");
        String kind = in.identifier("kind");
        long bodyLength = in.u32("body length");
        if (bodyLength > MAX_BODY) {
            throw new FormatException(WHAT + ": body length " + bodyLength + " exceeds " + MAX_BODY);
        }
        byte[] body = in.bytes((int) bodyLength, "body");
        int contentLength = in.position();
        byte[] signature = in.bytes(SignatureForm.LENGTH, "signature");
        in.requireEnd();
        SignatureForm.requireCanonical(signature, WHAT);
        byte[] hash = Sha256.of(signingInput(Arrays.copyOf(encoded, contentLength)));
        return new JournalRecord(sequence, time, previous, kind, body, signature, hash, encoded.clone());
    }

    /** @throws SignatureException if the record's signature does not verify under {@code writerPublicKey} */
    public static void verifySignature(JournalRecord record, byte[] writerPublicKey) throws SignatureException {
        byte[] encoded = record.encoded();
        byte[] content = Arrays.copyOf(encoded, encoded.length - SignatureForm.LENGTH);
        EcdsaP256.verify(writerPublicKey, signingInput(content), record.signature());
    }

    private static byte[] signingInput(byte[] content) {
        byte[] label = SIGNING_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(label, label.length + content.length);
        System.arraycopy(content, 0, input, label.length, content.length);
        return input;
    }
}
