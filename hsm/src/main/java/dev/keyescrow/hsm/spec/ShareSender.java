package dev.keyescrow.hsm.spec;

import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;

/**
 * The sending side of an import: wraps one share for one node's pinned transport key, so
 * that only that node's token can unwrap it, or one whole key for the coordinator's key
 * import ({@code docs/spec/kdf.md}). The share
 * stays the caller's to destroy; the ephemeral key is destroyed here.
 */
public final class ShareSender {
    private ShareSender() {
    }

    /** The import envelope for {@code share}, under a fresh ephemeral key. */
    public static byte[] wrapForImport(byte[] transportPublicKey, ShareRef ref, SecretBytes share, SecureRandom random)
            throws InvalidPeerKeyException {
        try (EphemeralKey ephemeral = EphemeralKey.generate(random)) {
            return wrapForImport(transportPublicKey, ref, share, ephemeral);
        }
    }

    /** As above with a given ephemeral key (test vectors); the key is not destroyed. */
    public static byte[] wrapForImport(byte[] transportPublicKey, ShareRef ref, SecretBytes share,
            EphemeralKey ephemeral) throws InvalidPeerKeyException {
        if (share.length() != ref.length()) {
            throw new IllegalArgumentException("share length " + share.length() + " differs from its reference's "
                    + ref.length());
        }
        byte[] e = ephemeral.publicKey();
        try (SecretBytes kek = KekDerivation.deriveKek(ephemeral.privateKey(), transportPublicKey,
                KekContext.forImport(ref), e, transportPublicKey)) {
            return ImportEnvelope.of(e, AesKwp.wrap(kek, share)).encoded();
        }
    }

    /**
     * The key-import envelope of {@code escrow key import}: {@code key} wrapped for the
     * coordinator's transport key with the {@code key-import} KEK purpose, bound to the key id
     * it will have and its algorithm. Same envelope layout as a share import; only the KEK
     * differs, so neither opens as the other.
     */
    public static byte[] wrapForKeyImport(byte[] transportPublicKey, String keyId, KeyAlgorithm algorithm,
            SecretBytes key, SecureRandom random) throws InvalidPeerKeyException {
        try (EphemeralKey ephemeral = EphemeralKey.generate(random)) {
            return wrapForKeyImport(transportPublicKey, keyId, algorithm, key, ephemeral);
        }
    }

    /** As above with a given ephemeral key (test vectors); the key is not destroyed. */
    public static byte[] wrapForKeyImport(byte[] transportPublicKey, String keyId, KeyAlgorithm algorithm,
            SecretBytes key, EphemeralKey ephemeral) throws InvalidPeerKeyException {
        byte[] e = ephemeral.publicKey();
        try (SecretBytes kek = KekDerivation.deriveKek(ephemeral.privateKey(), transportPublicKey,
                KekContext.forKeyImport(keyId, algorithm, key.length()), e, transportPublicKey)) {
            return ImportEnvelope.of(e, AesKwp.wrap(kek, key)).encoded();
        }
    }

    /**
     * A DKG round-two envelope: participant {@code sender}'s evaluation {@code value} (32 bytes)
     * for the participant {@code recipient} names, wrapped for the recipient node's transport key
     * under the {@code frost-dkg-share} KEK purpose. Same layout as an import envelope; only the
     * KEK differs, so it opens as nothing else and nothing else opens as it.
     */
    public static byte[] wrapForDkgShare(byte[] transportPublicKey, String ceremonyId, int sender, ShareRef recipient,
            SecretBytes value, SecureRandom random) throws InvalidPeerKeyException {
        if (value.length() != recipient.length()) {
            throw new IllegalArgumentException("share length " + value.length() + " differs from its reference's "
                    + recipient.length());
        }
        try (EphemeralKey ephemeral = EphemeralKey.generate(random)) {
            byte[] e = ephemeral.publicKey();
            try (SecretBytes kek = KekDerivation.deriveKek(ephemeral.privateKey(), transportPublicKey,
                    KekContext.forDkgShare(ceremonyId, sender, recipient), e, transportPublicKey)) {
                return ImportEnvelope.of(e, AesKwp.wrap(kek, value)).encoded();
            }
        }
    }
}
