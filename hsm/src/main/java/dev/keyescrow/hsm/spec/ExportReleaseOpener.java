package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;

/**
 * The recipient's side of an EXPORT release ({@code docs/spec/export-release.md}): recomputes
 * the {@code export-release} KEK from the recipient's private key and the node's transport
 * key, unwraps, and applies the length rule. Runs on the recipient's offline machine
 * ({@code escrow export recover}) only: the coordinator never holds a recipient key, and an
 * architecture test keeps this class out of the coordinator's code. The caller verifies the
 * node's signed statement first and the share's commitment after.
 */
public final class ExportReleaseOpener {
    private ExportReleaseOpener() {
    }

    public static SecretBytes open(EphemeralKey recipientKey, byte[] transportPublicKey, String requestId,
            byte[] requestDigest, ShareRef ref, byte[] wrapped) throws CorruptBlobException, InvalidPeerKeyException {
        KekContext context = KekContext.forExportRelease(requestId, requestDigest, ref);
        try (SecretBytes kek = KekDerivation.deriveKek(recipientKey.privateKey(), transportPublicKey, context,
                recipientKey.publicKey(), transportPublicKey)) {
            return ShareLength.trim(AesKwp.unwrap(kek, wrapped), ref.length());
        }
    }
}
