package dev.keyescrow.core.request;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What the coordinator signs (ECDSA P-256): the UTF-8 bytes of
 * {@code keyescrow-coordinator-v1\n<kind>\n<digest hex>}. The kind separates domains, so a
 * signature over a manifest can never pass as one over a request with the same digest.
 */
public final class CoordinatorStatement {
    public static final String PREFIX = "keyescrow-coordinator-v1";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    /** What a coordinator signature vouches for. */
    public enum Kind {
        REQUEST("request"),
        MANIFEST("manifest"),
        REGISTRATION("registration"),
        IMPORT("import"),
        CANCEL("cancel"),
        /** A ceremony that never committed was rolled back: nodes drop the shares they imported for it. */
        ROLLBACK("ceremony-rollback"),
        /** A call for a round of a SIGN request (FROST): which attempt, and for round two which commitments. */
        FROST_ROUND("frost-round"),
        /** A call for a distributed key generation (FROST): the key version, threshold and holders' nodes. */
        DKG_CALL("frost-dkg-call");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private CoordinatorStatement() {
    }

    public static byte[] bytes(Kind kind, String digestHex) {
        if (!DIGEST.matcher(digestHex).matches()) {
            throw new IllegalArgumentException("digest must be 64 lowercase hex digits");
        }
        return (PREFIX + "\n" + kind.label() + "\n" + digestHex).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] sign(Signer coordinator, Kind kind, String digestHex) throws KeyEscrowException {
        return coordinator.sign(bytes(kind, digestHex));
    }

    /** @throws SignatureException if {@code signature} is not the pinned coordinator's over this statement */
    public static void verify(byte[] coordinatorPublicKey, Kind kind, String digestHex, byte[] signature)
            throws SignatureException {
        EcdsaP256.verify(coordinatorPublicKey, bytes(kind, digestHex), signature);
    }
}
