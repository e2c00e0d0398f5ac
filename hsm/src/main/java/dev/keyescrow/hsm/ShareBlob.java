package dev.keyescrow.hsm;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A share as the node's blob store keeps it: {@code 0x01 || uint32be(epoch) ||
 * AES-KWP(epoch KEK, value)} ({@code docs/spec/kdf.md}). Not secret (it is ciphertext),
 * but only the token holding the epoch KEK can open it; after that KEK is destroyed
 * nothing can.
 */
public final class ShareBlob {
    public static final byte FORMAT_VERSION = 0x01;
    private static final int HEADER = 5;

    private final long epoch;
    private final byte[] wrapped;

    private ShareBlob(long epoch, byte[] wrapped) {
        this.epoch = epoch;
        this.wrapped = wrapped;
    }

    /** A blob for {@code wrapped} bytes made under the KEK of {@code epoch}. */
    public static ShareBlob of(long epoch, byte[] wrapped) {
        checkEpoch(epoch);
        Objects.requireNonNull(wrapped, "wrapped");
        return new ShareBlob(epoch, wrapped.clone());
    }

    /**
     * Parses the stored form.
     *
     * @throws CorruptBlobException if the version, header or wrapped length is wrong
     */
    public static ShareBlob parse(byte[] encoded) throws CorruptBlobException {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.length < HEADER + 16 || encoded[0] != FORMAT_VERSION) {
            throw new CorruptBlobException("stored blob has an unknown version or is too short");
        }
        int wrappedLength = encoded.length - HEADER;
        if (wrappedLength % 8 != 0) {
            throw new CorruptBlobException("stored blob's wrapped part is not a multiple of 8 bytes");
        }
        long epoch = Integer.toUnsignedLong(ByteBuffer.wrap(encoded, 1, 4).getInt());
        return new ShareBlob(epoch, Arrays.copyOfRange(encoded, HEADER, encoded.length));
    }

    static void checkEpoch(long epoch) {
        if (epoch < 1 || epoch > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("epoch " + epoch + " is invalid: must be in [1, 2^32 - 1]");
        }
    }

    public long epoch() {
        return epoch;
    }

    /** The RFC 5649 ciphertext under the epoch KEK. */
    public byte[] wrapped() {
        return wrapped.clone();
    }

    /** The stored form. */
    public byte[] encoded() {
        return ByteBuffer.allocate(HEADER + wrapped.length).put(FORMAT_VERSION).putInt((int) epoch).put(wrapped)
                .array();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareBlob other && other.epoch == epoch && Arrays.equals(other.wrapped, wrapped);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(epoch) * 31 + Arrays.hashCode(wrapped);
    }

    @Override
    public String toString() {
        return "ShareBlob[epoch " + epoch + ", " + wrapped.length + " wrapped bytes]";
    }
}
