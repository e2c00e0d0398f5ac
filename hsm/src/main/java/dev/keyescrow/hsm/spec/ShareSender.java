package dev.keyescrow.hsm.spec;

import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.core.secret.SecretBytes;
import java.security.SecureRandom;

/**
 * The coordinator's side of an import: wraps one share for one node's pinned transport
 * key, so that only that node's token can unwrap it ({@code docs/spec/kdf.md}). The share
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
}
