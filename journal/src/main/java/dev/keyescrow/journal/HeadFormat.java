package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.internal.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/** Codec of a witnessed head, version 1 ({@code docs/spec/journal.md}). */
public final class HeadFormat {
    public static final int VERSION = 1;
    public static final String SIGNING_LABEL = "keyescrow-journal-head-v1\n";
    private static final String WHAT = "witnessed head";

    private HeadFormat() {
    }

    public static SignedHead sign(Signer writer, String journalId, long sequence, byte[] headHash, long timeMillis)
            throws KeyEscrowException {
        Identifiers.require(journalId, "journal id");
        if (sequence < 1) {
            throw new IllegalArgumentException("head sequence " + sequence + " is invalid: must be >= 1");
        }
        if (timeMillis < 0) {
            throw new IllegalArgumentException("time must be >= 0");
        }
        if (headHash == null || headHash.length != RecordFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("head hash must be 32 bytes");
        }
        byte[] fingerprint = Sha256.of(writer.publicKey());
        byte[] content = new FieldWriter(82 + journalId.length()).u8(VERSION).identifier(journalId).bytes(fingerprint)
                .u64(sequence).bytes(headHash).u64(timeMillis).toByteArray();
        byte[] signature = SignatureForm.normalize(writer.sign(signingInput(content)));
        byte[] encoded = Arrays.copyOf(content, content.length + SignatureForm.LENGTH);
        System.arraycopy(signature, 0, encoded, content.length, SignatureForm.LENGTH);
        return new SignedHead(journalId, fingerprint, sequence, headHash.clone(), timeMillis, signature, encoded);
    }

    public static SignedHead decode(byte[] encoded) throws JournalFormatException {
        FieldReader in = new FieldReader(encoded, WHAT);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new JournalFormatException(WHAT + ": unknown version " + version + " (this reader knows " + VERSION + ")");
        }
        String journalId = in.identifier("journal id");
        byte[] fingerprint = in.bytes(32, "writer fingerprint");
        long sequence = in.u63("sequence", 1);
        byte[] headHash = in.bytes(RecordFormat.HASH_LENGTH, "head hash");
        long time = in.u63("time", 0);
        byte[] signature = in.bytes(SignatureForm.LENGTH, "signature");
        in.requireEnd();
        SignatureForm.requireCanonical(signature, WHAT);
        return new SignedHead(journalId, fingerprint, sequence, headHash, time, signature, encoded.clone());
    }

    /**
     * Checks that {@code head} names {@code pinnedPublicKey} as its writer and is signed by it.
     *
     * @throws SignatureException if the fingerprint differs or the signature does not verify
     */
    public static void verify(SignedHead head, byte[] pinnedPublicKey) throws SignatureException {
        if (!MessageDigest.isEqual(Sha256.of(pinnedPublicKey), head.writerFingerprint())) {
            throw new SignatureException("head of " + head.journalId() + " names writer " + head.writerFingerprintHex()
                    + ", not the pinned key " + EcdsaP256.fingerprint(pinnedPublicKey));
        }
        byte[] encoded = head.encoded();
        byte[] content = Arrays.copyOf(encoded, encoded.length - SignatureForm.LENGTH);
        EcdsaP256.verify(pinnedPublicKey, signingInput(content), head.signature());
    }

    private static byte[] signingInput(byte[] content) {
        byte[] label = SIGNING_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(label, label.length + content.length);
        System.arraycopy(content, 0, input, label.length, content.length);
        return input;
    }
}
