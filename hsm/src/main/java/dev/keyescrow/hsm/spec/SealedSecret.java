package dev.keyescrow.hsm.spec;

import dev.keyescrow.hsm.CorruptBlobException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A secret sealed under a token's seal key ({@code docs/spec/kdf.md}, "Sealing"):
 * {@code 0x02 || IV (12 bytes) || AES-256-GCM ciphertext || tag (16 bytes)}. The version byte
 * differs from an import envelope's ({@code 0x01}), so neither format parses as the other.
 * Parsing is strict: another version, or a body shorter than one byte plus its tag, is refused.
 */
public final class SealedSecret {
    public static final byte FORMAT_VERSION = 0x02;
    public static final int IV_LENGTH = 12;
    public static final int TAG_LENGTH = 16;
    /** The largest secret a token seals: an ephemeral private key is 32 bytes. */
    public static final int MAX_SECRET_LENGTH = 1024;

    private final byte[] iv;
    private final byte[] ciphertext;

    private SealedSecret(byte[] iv, byte[] ciphertext) {
        this.iv = iv;
        this.ciphertext = ciphertext;
    }

    /** {@code ciphertext} is the GCM output: the encrypted secret followed by its tag. */
    public static SealedSecret of(byte[] iv, byte[] ciphertext) {
        if (iv.length != IV_LENGTH) {
            throw new IllegalArgumentException("the seal IV must be 12 bytes");
        }
        if (ciphertext.length <= TAG_LENGTH || ciphertext.length > MAX_SECRET_LENGTH + TAG_LENGTH) {
            throw new IllegalArgumentException("a sealed secret is 1 to " + MAX_SECRET_LENGTH + " bytes plus its tag");
        }
        return new SealedSecret(iv.clone(), ciphertext.clone());
    }

    /** @throws CorruptBlobException if the bytes are not a sealed secret of this format */
    public static SealedSecret parse(byte[] encoded) throws CorruptBlobException {
        Objects.requireNonNull(encoded, "encoded");
        int header = 1 + IV_LENGTH;
        if (encoded.length < 1 || encoded[0] != FORMAT_VERSION) {
            throw new CorruptBlobException("not a sealed secret (unknown format version)");
        }
        int body = encoded.length - header;
        if (body <= TAG_LENGTH || body > MAX_SECRET_LENGTH + TAG_LENGTH) {
            throw new CorruptBlobException("sealed secret has an impossible length");
        }
        return new SealedSecret(Arrays.copyOfRange(encoded, 1, header), Arrays.copyOfRange(encoded, header,
                encoded.length));
    }

    public byte[] iv() {
        return iv.clone();
    }

    /** The GCM output: ciphertext followed by its 16-byte tag. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public byte[] encoded() {
        byte[] out = new byte[1 + iv.length + ciphertext.length];
        out[0] = FORMAT_VERSION;
        System.arraycopy(iv, 0, out, 1, iv.length);
        System.arraycopy(ciphertext, 0, out, 1 + iv.length, ciphertext.length);
        return out;
    }
}
