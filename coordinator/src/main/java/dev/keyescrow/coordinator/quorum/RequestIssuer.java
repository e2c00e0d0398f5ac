package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.P256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Issues requests: a fresh request id, nonce and ephemeral P-256 key; the canonical request
 * signed by the coordinator (kind {@code request}); the ephemeral private key sealed under the
 * coordinator token's seal key ({@link EphemeralKeyVault}) and stored in the sealed-key store,
 * the request journaled naming it; then published, and acknowledged only once the cluster
 * holds it.
 */
public final class RequestIssuer {
    /** TTL default 600 s, at most 24 h. */
    public static final long DEFAULT_TTL_SECONDS = 600;
    public static final long MAX_TTL_SECONDS = CanonicalRequest.MAX_TTL.toSeconds();
    /** Every request id starts with it; no key may be imported under such a name. */
    public static final String REQUEST_ID_PREFIX = "req-";

    private final CoordinatorService service;
    private final Signer coordinator;
    private final EphemeralKeyVault vault;
    private final SealedKeyStore sealedKeys;
    private final EphemeralKeys keys;
    private final CoordinatorClusterBridge cluster;
    private final SecureRandom random;

    public RequestIssuer(CoordinatorService service, Signer coordinator, EphemeralKeyVault vault,
            SealedKeyStore sealedKeys, EphemeralKeys keys, CoordinatorClusterBridge cluster, SecureRandom random) {
        this.service = service;
        this.coordinator = coordinator;
        this.vault = vault;
        this.sealedKeys = sealedKeys;
        this.keys = keys;
        this.cluster = cluster;
        this.random = random;
    }

    /**
     * Creates, journals and publishes a request.
     *
     * @throws RefusedException the TTL is out of range or the key version does not allow the operation
     */
    public RequestView issue(String requester, String keyId, int version, Operation operation, String reason,
            long ttlSeconds, RequestParams params) throws RefusedException, IOException, KeyEscrowException {
        if (ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
            throw new RefusedException(RefusalReason.INVALID, "ttlSeconds " + ttlSeconds + " must be in [1, "
                    + MAX_TTL_SECONDS + "]");
        }
        String requestId = REQUEST_ID_PREFIX + HexFormat.of().formatHex(randomBytes(8));
        Instant now = service.now();
        SecretBytes scalar = P256.generatePrivateKey(random);
        EphemeralKey ephemeral = EphemeralKey.fromPrivateKey(scalar);
        try {
            CanonicalRequest request;
            try {
                request = new CanonicalRequest(requestId, operation, keyId, version, params, requester, reason, now,
                        now.plus(Duration.ofSeconds(ttlSeconds)), randomBytes(CanonicalRequest.NONCE_LENGTH),
                        ephemeral.publicKey());
            } catch (IllegalArgumentException e) {
                throw new RefusedException(RefusalReason.INVALID, e.getMessage());
            }
            String sealedKey = sealedKeys.put(vault.seal(requestId, HexFormat.of().parseHex(request.digest()), scalar));
            scalar.destroy();
            byte[] signature = CoordinatorStatement.sign(coordinator, Kind.REQUEST, request.digest());
            String canonical = new String(request.canonicalJson(), StandardCharsets.UTF_8);
            service.submit(new CoordinatorEvent.RequestCreated(canonical, signature, sealedKey, null));
            if (operation.needsRelease()) {
                keys.put(requestId, ephemeral);
                ephemeral = null;
            }
            dev.keyescrow.coordinator.CrashPoints.reach(dev.keyescrow.coordinator.CrashPoints.REQUEST_JOURNALED);
            cluster.publishRequest(requestId, new SignedRequestMessage(canonical, signature).encode());
            return service.request(requestId).orElseThrow();
        } finally {
            scalar.destroy();
            if (ephemeral != null) {
                ephemeral.close();
            }
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
