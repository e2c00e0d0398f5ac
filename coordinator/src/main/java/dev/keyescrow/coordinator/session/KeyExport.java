package dev.keyescrow.coordinator.session;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.AesKwp;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.KekDerivation;
import dev.keyescrow.hsm.spec.P256;
import java.nio.ByteBuffer;
import java.security.SecureRandom;

/**
 * EXPORT: a reconstructed key wrapped to the recipient's P-256 public key
 * ({@code params.recipientPublicKey}), built from the {@code kdf.md} release construction
 * with the roles mirrored: the coordinator acts as the releasing node, with a fresh
 * ephemeral key {@code C} in the place of the node's transport key, and the recipient's key
 * {@code R} in the place of the request's ephemeral key:
 *
 * <pre>
 *   Z   = x(d_C · R)
 *   KEK = AES-256-ECB(Z, SHA-256("keyescrow/v1/kek" || 0 || "release" || 0 || uint16be(len ctx) || ctx || R || C))
 *   ctx = requestId || 0 || requestDigest(32) || keyId || 0 || uint32be(version) || uint8(1) || uint32be(32)
 *   export envelope = 0x01 || C (65 bytes) || AES-KWP(KEK, key material)
 * </pre>
 *
 * The recipient opens it with {@code ReleaseOpener.open(recipientKey, C, requestId, digest,
 * ShareRef(keyId, version, 1, 32), wrapped)} and checks the KCV. Binding the request id and
 * digest means an envelope opens only as the export the quorum approved.
 */
public final class KeyExport {
    public static final byte FORMAT_VERSION = 0x01;
    /** The share index written into the context: the whole key, not a share. */
    public static final int KEY_INDEX = 1;

    private KeyExport() {
    }

    /** The export envelope of {@code key} for {@code recipientPublicKey}; the key stays the caller's. */
    public static byte[] wrap(SecretBytes key, byte[] recipientPublicKey, String requestId, byte[] requestDigest,
            String keyId, int version, SecureRandom random) throws InvalidPeerKeyException {
        P256.decode(recipientPublicKey);
        ShareRef ref = new ShareRef(keyId, version, KEY_INDEX, key.length());
        try (SecretBytes ephemeral = P256.generatePrivateKey(random)) {
            byte[] c = P256.publicKeyOf(ephemeral);
            try (SecretBytes kek = KekDerivation.deriveKek(ephemeral, recipientPublicKey,
                    KekContext.forRelease(requestId, requestDigest, ref), recipientPublicKey, c)) {
                byte[] wrapped = AesKwp.wrap(kek, key);
                return ByteBuffer.allocate(1 + c.length + wrapped.length).put(FORMAT_VERSION).put(c).put(wrapped)
                        .array();
            }
        }
    }
}
