package dev.keyescrow.core.frost;

/**
 * A FROST participant identifier: the holder's share index, 1 to 255 (the x-coordinate of
 * its share). RFC 9591 serializes it as a scalar: 32 bytes, little-endian.
 */
public record ParticipantId(int value) implements Comparable<ParticipantId> {
    public static final int MAX = 255;

    public ParticipantId {
        if (value < 1 || value > MAX) {
            throw new IllegalArgumentException("participant identifier must be 1 to " + MAX + ": " + value);
        }
    }

    public static ParticipantId of(int value) {
        return new ParticipantId(value);
    }

    /** SerializeScalar(identifier). */
    public byte[] toScalarBytes() {
        byte[] bytes = new byte[Ed25519Group.SCALAR_SIZE];
        bytes[0] = (byte) value;
        return bytes;
    }

    @Override
    public int compareTo(ParticipantId other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "participant " + value;
    }
}
