package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;

/**
 * The coordinator key pinned at enrolment: manifests, requests, cancels and ceremony
 * rollbacks count only with its signature.
 */
final class PinnedCoordinator {
    private final byte[] publicKey;

    PinnedCoordinator(byte[] publicKey) {
        this.publicKey = publicKey.clone();
    }

    /** Refuses {@code what} unless {@code signature} is the pinned coordinator's statement of {@code kind} over {@code digest}. */
    void verify(Kind kind, String digest, byte[] signature, String what) throws NodeRefusedException {
        try {
            CoordinatorStatement.verify(publicKey, kind, digest, signature);
        } catch (SignatureException e) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE, what + " is not signed by the pinned"
                    + " coordinator: " + e.getMessage());
        }
    }

    byte[] publicKey() {
        return publicKey.clone();
    }
}
