package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;

/**
 * The coordinator's side of a release: recomputes the release KEK from the request's
 * ephemeral private key and the node's pinned transport key, unwraps, and applies the
 * length rule. The caller verifies the release statement's signature first and the
 * share's commitment after; a {@link CorruptBlobException} names a release that was not
 * made for this request, node and share.
 */
public final class ReleaseOpener {
    private ReleaseOpener() {
    }

    public static SecretBytes open(EphemeralKey requestKey, byte[] transportPublicKey, String requestId,
            byte[] requestDigest, ShareRef ref, byte[] wrapped) throws CorruptBlobException, InvalidPeerKeyException {
        KekContext context = KekContext.forRelease(requestId, requestDigest, ref);
        try (SecretBytes kek = KekDerivation.deriveKek(requestKey.privateKey(), transportPublicKey, context,
                requestKey.publicKey(), transportPublicKey)) {
            return ShareLength.trim(AesKwp.unwrap(kek, wrapped), ref.length());
        }
    }
}
