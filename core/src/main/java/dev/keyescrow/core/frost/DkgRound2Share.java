package dev.keyescrow.core.frost;

import dev.keyescrow.core.secret.SecretAccess;
import java.util.Arrays;
import java.util.Objects;

/**
 * A DKG round-two message: the sender's polynomial evaluated at the recipient, f_s(r).
 * Secret to the recipient; the caller encrypts {@link #encode} to the recipient node's
 * transport key. Encoding (version 1): version u8 || sender u8 || recipient u8 || 32-byte scalar.
 */
public final class DkgRound2Share implements AutoCloseable {
    public static final int VERSION = 1;
    public static final int ENCODED_SIZE = 3 + Ed25519Group.SCALAR_SIZE;

    private final ParticipantId sender;
    private final ParticipantId recipient;
    private final SecretScalar value;

    /** Takes {@code value}: closing this share destroys it. */
    public DkgRound2Share(ParticipantId sender, ParticipantId recipient, SecretScalar value) {
        this.sender = Objects.requireNonNull(sender, "sender");
        this.recipient = Objects.requireNonNull(recipient, "recipient");
        this.value = Objects.requireNonNull(value, "value");
        if (sender.equals(recipient)) {
            throw new IllegalArgumentException("a participant keeps its own evaluation");
        }
    }

    public ParticipantId sender() {
        return sender;
    }

    public ParticipantId recipient() {
        return recipient;
    }

    public SecretScalar value() {
        return value;
    }

    /** The plaintext to encrypt; the caller zeroes it after encrypting. */
    public byte[] encode(SecretAccess access) {
        byte[] out = new byte[ENCODED_SIZE];
        out[0] = VERSION;
        out[1] = (byte) sender.value();
        out[2] = (byte) recipient.value();
        byte[] scalar = value.toByteArray(access);
        System.arraycopy(scalar, 0, out, 3, scalar.length);
        Arrays.fill(scalar, (byte) 0);
        return out;
    }

    /** Decodes a decrypted share; does not zero {@code encoded} (the caller owns it). */
    public static DkgRound2Share decode(byte[] encoded) {
        if (encoded == null || encoded.length != ENCODED_SIZE || encoded[0] != VERSION) {
            throw new IllegalArgumentException("not a version-1 DKG round-two share");
        }
        return new DkgRound2Share(ParticipantId.of(encoded[1] & 0xff), ParticipantId.of(encoded[2] & 0xff),
                SecretScalar.moveFrom(Arrays.copyOfRange(encoded, 3, ENCODED_SIZE)));
    }

    @Override
    public void close() {
        value.destroy();
    }

    @Override
    public String toString() {
        return "DkgRound2Share[from " + sender + " to " + recipient + ", redacted]";
    }
}
