package dev.keyescrow.core.sharing;

import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.util.Objects;

/**
 * One Shamir share: the split it belongs to, that split's parameters, its index (its
 * public x-coordinate, 1..255) and its secret value (the polynomials evaluated there).
 *
 * <p>Not a record: its value is secret, so {@code toString()} shows only public fields and
 * equality is not defined. {@link #destroy()} zeroes the value.
 */
public final class Share implements AutoCloseable {
    private final SplitId splitId;
    private final SharingParameters parameters;
    private final int index;
    private final SecretBytes value;

    private Share(SplitId splitId, SharingParameters parameters, int index, SecretBytes value) {
        this.splitId = splitId;
        this.parameters = parameters;
        this.index = index;
        this.value = value;
    }

    /**
     * A share with a copy of {@code value}.
     *
     * @throws InvalidShareIndexException if index is outside [1, shareCount]
     * @throws IllegalArgumentException   if the value's length is not the parameters' secret length
     */
    public static Share of(SplitId splitId, SharingParameters parameters, int index, SecretBytes value)
            throws InvalidShareIndexException {
        Objects.requireNonNull(splitId, "splitId");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(value, "value");
        if (index < 1 || index > parameters.shareCount()) {
            throw new InvalidShareIndexException("share index " + index + " is invalid: must be in [1, "
                    + parameters.shareCount() + "] (index 0 would be the secret itself)");
        }
        if (value.length() != parameters.secretLength()) {
            throw new IllegalArgumentException("share value has " + value.length() + " bytes but the split's secret"
                    + " length is " + parameters.secretLength());
        }
        byte[] copy = value.toByteArray(SecretAccess.plaintext());
        return new Share(splitId, parameters, index, SecretBytes.moveFrom(copy));
    }

    /**
     * A share that takes {@code value} over without copying it: for {@link Shamir#split}, which
     * made the value itself and hands it over. Same checks as {@link #of}.
     */
    static Share adopt(SplitId splitId, SharingParameters parameters, int index, SecretBytes value)
            throws InvalidShareIndexException {
        if (index < 1 || index > parameters.shareCount()) {
            throw new InvalidShareIndexException("share index " + index + " is invalid: must be in [1, "
                    + parameters.shareCount() + "]");
        }
        if (value.length() != parameters.secretLength()) {
            throw new IllegalArgumentException("share value has " + value.length() + " bytes but the split's secret"
                    + " length is " + parameters.secretLength());
        }
        return new Share(splitId, parameters, index, value);
    }

    public SplitId splitId() {
        return splitId;
    }

    public SharingParameters parameters() {
        return parameters;
    }

    public int index() {
        return index;
    }

    /** The secret value. Callers must not destroy it; destroy the share instead. */
    public SecretBytes value() {
        return value;
    }

    public void destroy() {
        value.destroy();
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "Share[split " + splitId + ", index " + index + ", " + parameters.threshold() + "-of-"
                + parameters.shareCount() + ", " + parameters.secretLength() + " bytes, value redacted]";
    }
}
