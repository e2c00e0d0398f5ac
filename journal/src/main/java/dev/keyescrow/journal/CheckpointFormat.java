package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** Codec of a checkpoint, version 1 ({@code docs/spec/journal.md}). */
public final class CheckpointFormat {
    public static final int VERSION = 1;
    public static final String SIGNING_LABEL = "keyescrow-journal-checkpoint-v1\n";
    public static final int MAX_STATE = 64 * 1024 * 1024;
    private static final String WHAT = "checkpoint";

    private CheckpointFormat() {
    }

    public static Checkpoint sign(Signer writer, long sequence, long recordOffset, byte[] headHash, long timeMillis,
            byte[] state) throws KeyEscrowException {
        if (sequence < 1) {
            throw new IllegalArgumentException("checkpoint sequence " + sequence + " is invalid: must be >= 1");
        }
        if (recordOffset < 0 || timeMillis < 0) {
            throw new IllegalArgumentException("checkpoint offset and time must be >= 0");
        }
        if (headHash == null || headHash.length != RecordFormat.HASH_LENGTH) {
            throw new IllegalArgumentException("head hash must be 32 bytes");
        }
        Objects.requireNonNull(state, "state");
        if (state.length > MAX_STATE) {
            throw new IllegalArgumentException("state of " + state.length + " bytes exceeds " + MAX_STATE);
        }
        byte[] content = new FieldWriter(61 + state.length).u8(VERSION).u64(sequence).u64(recordOffset)
                .bytes(headHash).u64(timeMillis).u32(state.length).bytes(state).toByteArray();
        byte[] signature = SignatureForm.normalize(writer.sign(signingInput(content)));
        byte[] encoded = Arrays.copyOf(content, content.length + SignatureForm.LENGTH);
        System.arraycopy(signature, 0, encoded, content.length, SignatureForm.LENGTH);
        return new Checkpoint(sequence, recordOffset, headHash.clone(), timeMillis, state.clone(), signature, encoded);
    }

    public static Checkpoint decode(byte[] encoded) throws JournalFormatException {
        FieldReader in = new FieldReader(encoded, WHAT);
        int version = in.u8("version");
        if (version != VERSION) {
            throw new JournalFormatException(WHAT + ": unknown version " + version + " (this reader knows " + VERSION + ")");
        }
        long sequence = in.u63("sequence", 1);
        long offset = in.u63("record offset", 0);
        byte[] headHash = in.bytes(RecordFormat.HASH_LENGTH, "head hash");
        long time = in.u63("time", 0);
        long stateLength = in.u32("state length");
        if (stateLength > MAX_STATE) {
            throw new JournalFormatException(WHAT + ": state length " + stateLength + " exceeds " + MAX_STATE);
        }
        byte[] state = in.bytes((int) stateLength, "state");
        byte[] signature = in.bytes(SignatureForm.LENGTH, "signature");
        in.requireEnd();
        SignatureForm.requireCanonical(signature, WHAT);
        return new Checkpoint(sequence, offset, headHash, time, state, signature, encoded.clone());
    }

    public static void verifySignature(Checkpoint checkpoint, byte[] writerPublicKey) throws SignatureException {
        byte[] encoded = checkpoint.encoded();
        byte[] content = Arrays.copyOf(encoded, encoded.length - SignatureForm.LENGTH);
        EcdsaP256.verify(writerPublicKey, signingInput(content), checkpoint.signature());
    }

    private static byte[] signingInput(byte[] content) {
        byte[] label = SIGNING_LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(label, label.length + content.length);
        System.arraycopy(content, 0, input, label.length, content.length);
        return input;
    }
}
