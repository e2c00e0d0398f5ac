package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import java.security.SecureRandom;

/**
 * The node process's side of {@code Token#unwrapFrostShare}: recomputes the {@code frost-sign}
 * KEK from the one-time private key and the token's transport key, unwraps, and applies the
 * length rule. A release, an export release or an import envelope made for the same share and
 * request fails here (another label, another KEK).
 */
public final class FrostShareOpener {
    private static final SecureRandom RANDOM = new SecureRandom();

    private FrostShareOpener() {
    }

    /** {@code Token#unwrapFrostShare} for both token kinds: one place, the same bytes. */
    public static SecretBytes unwrap(Token token, String requestId, byte[] requestDigest, StoredShare share)
            throws CorruptBlobException, TokenFailureException {
        if (share.ref().length() != Token.FROST_SHARE_LENGTH) {
            throw new IllegalArgumentException("share " + share.ref().label() + " is not a FROST share (32 bytes)");
        }
        try (EphemeralKey oneTime = EphemeralKey.generate(RANDOM)) {
            Release wrapped = token.release(ReleaseRequest.toFrostSigner(requestId, requestDigest,
                    oneTime.publicKey(), share));
            return open(oneTime, token.transportPublicKey(), requestId, requestDigest, share.ref(),
                    wrapped.wrapped());
        } catch (InvalidPeerKeyException e) {
            throw new TokenFailureException("the token refused a one-time key drawn in this process: "
                    + e.getMessage());
        }
    }

    public static SecretBytes open(EphemeralKey oneTimeKey, byte[] transportPublicKey, String requestId,
            byte[] requestDigest, ShareRef ref, byte[] wrapped) throws CorruptBlobException, InvalidPeerKeyException {
        KekContext context = KekContext.forFrostSign(requestId, requestDigest, ref);
        try (SecretBytes kek = KekDerivation.deriveKek(oneTimeKey.privateKey(), transportPublicKey, context,
                oneTimeKey.publicKey(), transportPublicKey)) {
            return ShareLength.trim(AesKwp.unwrap(kek, wrapped), ref.length());
        }
    }
}
