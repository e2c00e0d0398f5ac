package dev.keyescrow.cli.custodian;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The custodian's side of the approval and countersignature contracts (the design). Nothing
 * is signed before the custodian's own machine has decoded the exact canonical bytes,
 * recomputed their digest and verified the coordinator's signature over it.
 */
public final class CustodianDesk {
    /** One long poll's wait, under the HTTP client's 60 s request timeout. */
    private static final int LONG_POLL_SECONDS = 20;

    private CustodianDesk() {
    }

    /** Thrown when what the server shows does not check out; nothing was signed. */
    public static final class ReviewException extends Exception {
        public ReviewException(String message) {
            super(message);
        }
    }

    /**
     * Fetches and checks a request from the node that holds the custodian's share.
     *
     * @param coordinatorKey the pinned coordinator key, or null to use the one the node pins
     */
    public static ReviewedRequest review(NodeClient node, String requestId, byte[] coordinatorKey)
            throws ApiException, ReviewException {
        return check(node, requestId, node.request(requestId), coordinatorKey);
    }

    private static ReviewedRequest check(NodeClient node, String requestId, JsonObject view, byte[] coordinatorKey)
            throws ApiException, ReviewException {
        byte[] canonical = view.getString("canonical", "").getBytes(StandardCharsets.UTF_8);
        CanonicalRequest request;
        try {
            request = CanonicalRequest.parse(canonical);
        } catch (FormatException e) {
            throw new ReviewException("the request is not a valid canonical request: " + e.getMessage());
        }
        String digest = request.digest();
        if (!digest.equals(view.getString("digest")) || !request.requestId().equals(requestId)) {
            throw new ReviewException("the node's digest or id does not match the request text; not signing");
        }
        byte[] key = coordinatorKey != null ? coordinatorKey
                : Base64.getDecoder().decode(node.node().getString("coordinatorPublicKey"));
        try {
            CoordinatorStatement.verify(key, Kind.REQUEST, digest,
                    Base64.getDecoder().decode(view.getString("coordinatorSignature", "")));
        } catch (SignatureException | IllegalArgumentException e) {
            throw new ReviewException("the request is not signed by the coordinator: " + e.getMessage());
        }
        return new ReviewedRequest(request, digest, view.getString("state"), view.getInteger("approvals", 0),
                view.getInteger("threshold", 0));
    }

    /**
     * {@link #review} once the request has reached the node: a request the coordinator has just
     * published may not be there yet, so this long-polls the node (which answers the moment the
     * request arrives) until {@code wait} has passed.
     *
     * @param coordinatorKey the pinned coordinator key, or null to use the one the node pins
     */
    public static ReviewedRequest awaitReview(NodeClient node, String requestId, Duration wait,
            byte[] coordinatorKey) throws ApiException, ReviewException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            int seconds = (int) Math.max(1, Math.min(LONG_POLL_SECONDS, (left + 999_999_999L) / 1_000_000_000L));
            try {
                return check(node, requestId, node.awaitRequest(requestId, seconds), coordinatorKey);
            } catch (ApiException e) {
                if (e.status() != 404 || System.nanoTime() >= deadline) {
                    throw e;
                }
            }
        }
    }

    /** Signs and sends an answer to a reviewed request at the custodian's node. */
    public static JsonObject answer(NodeClient node, ReviewedRequest reviewed, String custodianId, Decision decision,
                                    SecretBytes key) throws ApiException {
        Approval approval = Approval.sign(reviewed.request(), custodianId, decision, key);
        return node.answer(reviewed.request().requestId(), custodianId, decision.name(),
                Base64.getEncoder().encodeToString(approval.signature()));
    }

    /**
     * Fetches a manifest, checks its digest and the coordinator's signature, checks that it
     * pins {@code custodianId} with this key, and countersigns it.
     */
    public static Manifest countersign(CoordinatorClient coordinator, String keyId, int version, String custodianId,
                                       SecretBytes key, byte[] coordinatorKey) throws ApiException, ReviewException {
        Manifest manifest = reviewManifest(coordinator, keyId, version, coordinatorKey);
        sendCountersignature(coordinator, manifest, custodianId, key);
        return manifest;
    }

    /**
     * Fetches a manifest and checks it before anything is shown or signed: the digest of the
     * exact text received and, when {@code coordinatorKey} is given, the coordinator's signature.
     */
    public static Manifest reviewManifest(CoordinatorClient coordinator, String keyId, int version,
                                          byte[] coordinatorKey) throws ApiException, ReviewException {
        return reviewManifest(coordinator.manifest(keyId, version), keyId, version, coordinatorKey);
    }

    /** Checks a manifest answer ({@code GET .../manifest}) already fetched, as {@link #reviewManifest} does. */
    public static Manifest reviewManifest(JsonObject view, String keyId, int version, byte[] coordinatorKey)
            throws ReviewException {
        Manifest manifest;
        try {
            manifest = Manifest.parse(view.getString("canonical", "").getBytes(StandardCharsets.UTF_8));
        } catch (FormatException e) {
            throw new ReviewException("the manifest is not valid: " + e.getMessage());
        }
        if (!manifest.digest().equals(view.getString("digest"))) {
            throw new ReviewException("the manifest's digest does not match its text; not signing");
        }
        if (!manifest.keyId().equals(keyId) || manifest.version() != version) {
            throw new ReviewException("the coordinator answered with the manifest of another key version; not signing");
        }
        if (coordinatorKey != null) {
            try {
                CoordinatorStatement.verify(coordinatorKey, Kind.MANIFEST, manifest.digest(),
                        Base64.getDecoder().decode(view.getString("signature", "")));
            } catch (SignatureException | IllegalArgumentException e) {
                throw new ReviewException("the manifest is not signed by the coordinator: " + e.getMessage());
            }
        }
        return manifest;
    }

    /** Checks that a reviewed manifest pins {@code custodianId} with this key, then countersigns it. */
    public static void sendCountersignature(CoordinatorClient coordinator, Manifest manifest, String custodianId,
                                            SecretBytes key) throws ApiException, ReviewException {
        byte[] pinned;
        try {
            pinned = manifest.holderOf(custodianId).publicKey();
        } catch (IllegalArgumentException e) {
            throw new ReviewException(custodianId + " holds no share in this manifest");
        }
        if (!java.util.Arrays.equals(pinned, Ed25519.publicKeyOf(key))) {
            throw new ReviewException("the manifest pins another key for " + custodianId + "; not signing");
        }
        byte[] signature = Ed25519.sign(key, manifest.countersignatureStatement(custodianId));
        coordinator.countersign(manifest.keyId(), manifest.version(), custodianId,
                Base64.getEncoder().encodeToString(signature));
    }
}
