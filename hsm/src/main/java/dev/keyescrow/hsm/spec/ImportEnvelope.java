package dev.keyescrow.hsm.spec;

import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import java.util.Arrays;
import java.util.Objects;

/**
 * What the coordinator sends a node to import a share:
 * {@code 0x01 || E (65 bytes) || AES-KWP(import KEK, share)} ({@code docs/spec/kdf.md}).
 * Parsing is strict: unknown version, bad point, impossible wrapped length are refused.
 */
public final class ImportEnvelope {
    public static final byte FORMAT_VERSION = 0x01;

    private final byte[] ephemeralPublicKey;
    private final byte[] wrapped;

    private ImportEnvelope(byte[] ephemeralPublicKey, byte[] wrapped) {
        this.ephemeralPublicKey = ephemeralPublicKey;
        this.wrapped = wrapped;
    }

    static ImportEnvelope of(byte[] ephemeralPublicKey, byte[] wrapped) {
        return new ImportEnvelope(ephemeralPublicKey.clone(), wrapped.clone());
    }

    /**
     * @throws CorruptBlobException    if the version or the wrapped length is wrong
     * @throws InvalidPeerKeyException if the ephemeral key is not a valid P-256 point
     */
    public static ImportEnvelope parse(byte[] encoded) throws CorruptBlobException, InvalidPeerKeyException {
        Objects.requireNonNull(encoded, "encoded");
        int header = 1 + P256.PUBLIC_KEY_LENGTH;
        if (encoded.length < header + 16 || encoded[0] != FORMAT_VERSION) {
            throw new CorruptBlobException("import envelope has an unknown version or is too short");
        }
        if ((encoded.length - header) % 8 != 0) {
            throw new CorruptBlobException("import envelope's wrapped part is not a multiple of 8 bytes");
        }
        byte[] point = Arrays.copyOfRange(encoded, 1, header);
        P256.decode(point);
        return new ImportEnvelope(point, Arrays.copyOfRange(encoded, header, encoded.length));
    }

    public byte[] ephemeralPublicKey() {
        return ephemeralPublicKey.clone();
    }

    public byte[] wrapped() {
        return wrapped.clone();
    }

    public byte[] encoded() {
        byte[] out = new byte[1 + ephemeralPublicKey.length + wrapped.length];
        out[0] = FORMAT_VERSION;
        System.arraycopy(ephemeralPublicKey, 0, out, 1, ephemeralPublicKey.length);
        System.arraycopy(wrapped, 0, out, 1 + ephemeralPublicKey.length, wrapped.length);
        return out;
    }
}
