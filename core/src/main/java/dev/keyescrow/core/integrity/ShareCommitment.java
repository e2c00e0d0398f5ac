package dev.keyescrow.core.integrity;

import dev.keyescrow.core.error.CorruptShareException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.sharing.Share;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The commitment to one share ({@code docs/spec/commitment.md}):
 * HMAC-SHA256(key = share value, data = label ‖ 0x00 ‖ key id ‖ 0x00 ‖ uint32be(version) ‖
 * uint8(index) ‖ salt), with label {@code keyescrow/v1/share-commitment} and a 32-byte
 * random salt. Published in the manifest; recomputed on every release the coordinator
 * unwraps, so a wrong share is named by its index before it is combined.
 *
 * <p>Public values only: index, salt and the MAC (hex).
 */
public record ShareCommitment(int index, byte[] salt, String hex) {
    public static final String LABEL = "keyescrow/v1/share-commitment";
    public static final int SALT_LENGTH = 32;
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public ShareCommitment {
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("share index " + index + " is invalid: must be in [1, 255]");
        }
        Objects.requireNonNull(salt, "salt");
        if (salt.length != SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be " + SALT_LENGTH + " bytes, got " + salt.length);
        }
        salt = salt.clone();
        Objects.requireNonNull(hex, "hex");
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("commitment must be 64 lowercase hex digits");
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    /** Commits to {@code share} of version {@code version} of key {@code keyId}. */
    public static ShareCommitment compute(String keyId, int version, Share share, byte[] salt) {
        return new ShareCommitment(share.index(), salt, HexFormat.of().formatHex(mac(keyId, version, share, salt)));
    }

    /**
     * Checks {@code share} against this commitment in constant time.
     *
     * @throws CorruptShareException naming the share's index if it does not match
     */
    public void verify(String keyId, int version, Share share) throws CorruptShareException {
        if (share.index() != index) {
            throw new IllegalArgumentException("commitment is for index " + index + ", share has " + share.index());
        }
        byte[] actual = mac(keyId, version, share, salt);
        if (!MessageDigest.isEqual(actual, HexFormat.of().parseHex(hex))) {
            throw new CorruptShareException(index);
        }
    }

    private static byte[] mac(String keyId, int version, Share share, byte[] salt) {
        Identifiers.require(keyId, "key id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
        byte[] label = LABEL.getBytes(StandardCharsets.US_ASCII);
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.allocate(label.length + 1 + id.length + 1 + 4 + 1 + salt.length);
        data.put(label).put((byte) 0).put(id).put((byte) 0).putInt(version).put((byte) share.index()).put(salt);
        KeyParameter key = new KeyParameter(share.value().toByteArray(SecretAccess.plaintext()));
        try {
            HMac hmac = new HMac(new SHA256Digest());
            hmac.init(key);
            hmac.update(data.array(), 0, data.capacity());
            byte[] out = new byte[hmac.getMacSize()];
            hmac.doFinal(out, 0);
            hmac.reset();
            return out;
        } finally {
            Arrays.fill(key.getKey(), (byte) 0);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShareCommitment c && c.index == index && Arrays.equals(c.salt, salt) && c.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, Arrays.hashCode(salt), hex);
    }

    @Override
    public String toString() {
        return "ShareCommitment[index " + index + ", " + hex + "]";
    }
}
