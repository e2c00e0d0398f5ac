package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import java.security.SecureRandom;

/**
 * Keeps a request's ephemeral private key recoverable across a restart without ever writing
 * it in plaintext: it is sealed as a {@code kdf.md} import envelope to the coordinator
 * token's own transport key (treated as a 32-byte "share" of reference
 * {@code (requestId, 1, 1, 32)}) and journaled. Only that token can open it: unsealing
 * imports the envelope into the token, releases it to a throw-away ephemeral key bound to
 * the request, and opens that release here. Uses only the {@link Token} port, so it works
 * on SoftHSM2 and on the development vault alike.
 */
public final class EphemeralKeyVault {
    private static final int KEY_LENGTH = 32;

    private final Token token;
    private final SecureRandom random;

    public EphemeralKeyVault(Token token, SecureRandom random) {
        this.token = token;
        this.random = random;
    }

    private static ShareRef refOf(String requestId) {
        return new ShareRef(requestId, 1, 1, KEY_LENGTH);
    }

    /** The envelope of {@code privateKey} (a P-256 scalar) for the journal. */
    public byte[] seal(String requestId, SecretBytes privateKey) throws InvalidPeerKeyException {
        return ShareSender.wrapForImport(token.transportPublicKey(), refOf(requestId), privateKey, random);
    }

    /**
     * The ephemeral key sealed in {@code envelope}.
     *
     * @throws CorruptBlobException  the envelope was not sealed by this token for this request
     * @throws TokenFailureException the token failed: the request cannot be served now
     */
    public EphemeralKey unseal(String requestId, byte[] requestDigest, byte[] envelope)
            throws CorruptBlobException, InvalidPeerKeyException, TokenFailureException {
        ShareRef ref = refOf(requestId);
        ImportedShare imported = token.importShare(ref, envelope);
        try (EphemeralKey carrier = EphemeralKey.generate(random)) {
            Release release = token.release(new ReleaseRequest(requestId, requestDigest, carrier.publicKey(),
                    imported.stored()));
            try (SecretBytes scalar = ReleaseOpener.open(carrier, token.transportPublicKey(), requestId,
                    requestDigest, ref, release.wrapped())) {
                return EphemeralKey.fromPrivateKey(scalar);
            }
        }
    }
}
