package dev.keyescrow.core.frost;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A participant's round-two output z_i: 32 bytes, a canonical scalar. Public (it reveals
 * nothing of the share without the nonces); the aggregator checks it against the
 * participant's verification share before using it.
 */
public final class SignatureShare {
    private final ParticipantId id;
    private final byte[] value;

    public SignatureShare(ParticipantId id, byte[] value) {
        this.id = Objects.requireNonNull(id, "id");
        Ed25519Group.decodeScalar(value);
        this.value = value.clone();
    }

    public ParticipantId id() {
        return id;
    }

    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignatureShare that && id.equals(that.id) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "SignatureShare[" + id + ", " + HexFormat.of().formatHex(value) + "]";
    }
}
