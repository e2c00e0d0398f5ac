package dev.keyescrow.hsm;

import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Signer;
import java.util.List;

/**
 * Port: a provisioned token holding a node's (or the coordinator's) keys — an identity key
 * (EC P-256, sign only), a transport key (EC P-256, derive only), the current epoch KEK
 * (AES-256, non-extractable) and a seal key (AES-256, non-extractable, encrypt/decrypt only,
 * used only by {@link #seal}/{@link #unseal}). Shares are not token objects: they are blobs
 * the caller stores, opened into short-lived session objects only while used, so the token
 * stays small and is written only at provisioning and rotation (and once more to add the seal
 * key to a token provisioned before it existed).
 *
 * <p>Implementations: {@code Pkcs11Token} (any PKCS#11 module) and {@code SoftwareToken}
 * (the development vault). Both pass {@code TokenContract}. Byte formats are in
 * {@code docs/spec/kdf.md} and {@code docs/spec/import-release.md}.
 *
 * <p>Failures: {@link CorruptBlobException} (incl. {@link ShreddedShareException}) means
 * "these bytes are bad, the token is fine" — do not retry them; {@link InvalidPeerKeyException}
 * means a public input was refused; {@link TokenFailureException} means "the token is
 * not usable" — stop serving, alert, retry later. Imports and rotations must be serialized
 * by the caller; releases may run concurrently with each other and with a rotation.
 */
public interface Token extends AutoCloseable {
    /** Public facts for the node description and fingerprint ceremony. */
    TokenDescription describe();

    /** The identity key: signs receipts and release statements (and anything else the node signs). */
    Signer identity();

    /** The transport public key (65-byte SEC1 point), pinned by the coordinator at enrolment. */
    byte[] transportPublicKey();

    /**
     * Imports a share sent by {@code ShareSender}: derives the import KEK from the transport
     * key and the envelope's ephemeral key inside the token, unwraps, re-wraps under the
     * current epoch KEK, and signs an import receipt over SHA-256 of {@code envelope}.
     *
     * @throws IllegalStateException while a rotation is open
     */
    ImportedShare importShare(ShareRef ref, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException;

    /**
     * Accepts a key brought in from outside the cluster ({@code POST /v1/keys/import}): opens an
     * envelope made by {@code ShareSender.wrapForKeyImport} for this token's transport key with
     * the {@code key-import} KEK purpose, bound to {@code keyId}, {@code algorithm} and a length
     * of 32 bytes, and re-wraps it under the current epoch KEK as share {@code (keyId, 1, 1, 32)}.
     * An envelope made for any other purpose (a share import, a release, a seal) fails to open.
     * No receipt is signed: the caller releases the stored key to itself and splits it.
     *
     * @throws CorruptBlobException     the envelope was not made for this key import
     * @throws IllegalStateException    while a rotation is open
     */
    StoredShare acceptKeyImport(String keyId, KeyAlgorithm algorithm, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException;

    /**
     * Accepts a DKG round-two share ({@code ShareSender.wrapForDkgShare}): opens the envelope
     * under the {@code frost-dkg-share} KEK of this token's transport key, bound to
     * {@code ceremonyId}, {@code sender} and {@code recipient}, and re-wraps it under the current
     * epoch KEK. An envelope made for any other purpose, ceremony or participant fails to open.
     *
     * @throws CorruptBlobException  the envelope was not made for this share
     * @throws IllegalStateException while a rotation is open
     */
    StoredShare acceptDkgShare(String ceremonyId, int sender, ShareRef recipient, byte[] envelope)
            throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException;

    /**
     * Opens a DKG round-two share into this process, to be summed into the participant's
     * signing share: {@link #acceptDkgShare}, then {@link #unwrapFrostShare} with the ceremony id
     * as request id and {@code contextDigest} (SHA-256 of the DKG context) as digest. The caller
     * zeroes the result as soon as it is summed.
     */
    default SecretBytes openDkgShare(String ceremonyId, byte[] contextDigest, int sender, ShareRef recipient,
            byte[] envelope) throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException {
        return unwrapFrostShare(ceremonyId, contextDigest, acceptDkgShare(ceremonyId, sender, recipient, envelope));
    }

    /** Releases a share for one request: only that request's ephemeral private key opens it. */
    Release release(ReleaseRequest request) throws InvalidPeerKeyException, CorruptBlobException, TokenFailureException;

    /** A FROST share is a scalar modulo the group order: 32 bytes, little-endian. */
    int FROST_SHARE_LENGTH = 32;

    /**
     * Opens a FROST share into this process for one signing round of request {@code requestId}
     * (FROST keys only: no PKCS#11 mechanism computes RFC 9591). The token wraps the stored share
     * to a one-time P-256 key drawn here, under the {@code frost-sign} KEK purpose bound to the
     * request, its digest and the share; this process derives the same KEK, unwraps, and destroys
     * the one-time key. The caller zeroes the result right after the round (the one exception to
     * "clear shares never leave a token", {@code docs/threat-model.md}).
     *
     * @throws IllegalArgumentException if the share is not 32 bytes long (not a FROST share)
     */
    SecretBytes unwrapFrostShare(String requestId, byte[] requestDigest, StoredShare share)
            throws CorruptBlobException, TokenFailureException;

    /**
     * Loads a reconstructed key into the token as a non-extractable session object for a USE
     * session ({@link SessionKey}). {@code key} stays the caller's, who zeroes it right after:
     * from then on the key exists only inside the token.
     *
     * @throws IllegalArgumentException if {@code key} is not 32 bytes
     * @throws TokenFailureException    if the token lacks the algorithm's mechanism, or fails
     */
    SessionKey openSessionKey(KeyAlgorithm algorithm, SecretBytes key) throws TokenFailureException;

    /**
     * Seals {@code secret} (1 to 1024 bytes; a request's ephemeral private key) under the token's
     * seal key with AES-256-GCM, a fresh 96-bit IV and {@code context} as additional data
     * ({@code docs/spec/kdf.md}, "Sealing"). The seal key is made at provisioning, or on the
     * first seal by a token provisioned before it existed (one token write).
     */
    byte[] seal(SealContext context, SecretBytes secret) throws TokenFailureException;

    /**
     * Opens what {@link #seal} made for the same {@code context} in this token.
     *
     * @throws CorruptBlobException  the bytes were not sealed by this token's seal key for this
     *                               context (another request, altered, another format or purpose)
     * @throws TokenFailureException the token failed
     */
    SecretBytes unseal(SealContext context, byte[] sealed) throws CorruptBlobException, TokenFailureException;

    /** Creates the next epoch KEK and returns the rotation that moves shares onto it. */
    EpochRotation beginRotation() throws TokenFailureException;

    /** Epochs whose KEK exists in the token, ascending: one, or two after a crash mid-rotation. */
    List<Long> epochs() throws TokenFailureException;

    /** Crash recovery: destroys every epoch KEK except {@code completeEpoch}, which becomes current. */
    void retainOnlyEpoch(long completeEpoch) throws TokenFailureException;

    /** Releases sessions and handles; the token's keys stay. */
    @Override
    void close();
}
