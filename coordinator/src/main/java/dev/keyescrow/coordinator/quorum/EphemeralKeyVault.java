package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.SealContext;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ImportEnvelope;
import java.security.MessageDigest;

/**
 * Keeps a request's ephemeral private key recoverable across a restart without ever writing
 * it in plaintext: it is sealed under the coordinator token's seal key ({@link Token#seal}:
 * AES-256-GCM under a non-extractable key that does nothing else, bound to the request id and
 * digest; {@code docs/spec/kdf.md}, "Sealing") and stored in the sealed-key store. Only that
 * token opens it, only for that request, and nothing else opens it: it is not an import
 * envelope, so key import cannot take it in (as it could when the key was sealed as an import
 * envelope to the token's own transport key).
 *
 * <p>Keys sealed that earlier way (import envelopes, format byte {@code 0x01}) are no longer
 * opened: opening them needs the import path that made them dangerous. A request still waiting
 * at the upgrade fails at the restart and is issued again; the TTL cap (24 h) bounds how many.
 */
public final class EphemeralKeyVault {
    private final Token token;

    public EphemeralKeyVault(Token token) {
        this.token = token;
    }

    /** The sealed form of {@code privateKey} (a P-256 scalar) of the request {@code requestId} / {@code requestDigest}. */
    public byte[] seal(String requestId, byte[] requestDigest, SecretBytes privateKey) throws TokenFailureException {
        return token.seal(new SealContext(requestId, requestDigest), privateKey);
    }

    /**
     * The ephemeral key sealed in {@code sealed}, checked against the request's public key.
     *
     * @throws CorruptBlobException  the bytes were not sealed by this token for this request
     * @throws TokenFailureException the token failed: the request cannot be served now
     */
    public EphemeralKey unseal(String requestId, byte[] requestDigest, byte[] expectedPublicKey, byte[] sealed)
            throws CorruptBlobException, TokenFailureException {
        if (sealed.length > 0 && sealed[0] == ImportEnvelope.FORMAT_VERSION) {
            throw new CorruptBlobException("it was sealed by an earlier version as an import envelope, which is no"
                    + " longer opened; issue the request again");
        }
        try (SecretBytes scalar = token.unseal(new SealContext(requestId, requestDigest), sealed)) {
            EphemeralKey key = EphemeralKey.fromPrivateKey(scalar);
            if (!MessageDigest.isEqual(key.publicKey(), expectedPublicKey)) {
                key.close();
                throw new CorruptBlobException("the sealed key is not the request's ephemeral key");
            }
            return key;
        }
    }
}
