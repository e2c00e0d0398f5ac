package dev.keyescrow.cli;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A node's own statement of its keys' roles, signed inside its token by its identity key:
 * {@code keyescrow-node-enrolment-v1\n<nodeId>\n<identity key base64>\n<transport key base64>}.
 * Only the identity key can sign (the transport key is derive-only), so a proof that verifies
 * under the key given as identity shows that the two keys are not swapped and that the
 * transport key is the one this node named.
 */
final class NodeEnrolmentProof {
    static final String PREFIX = "keyescrow-node-enrolment-v1";

    private NodeEnrolmentProof() {
    }

    static byte[] statement(String nodeId, byte[] identityKey, byte[] transportKey) {
        Base64.Encoder b64 = Base64.getEncoder();
        return (PREFIX + "\n" + nodeId + "\n" + b64.encodeToString(identityKey) + "\n"
                + b64.encodeToString(transportKey)).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] sign(Signer identity, String nodeId, byte[] transportKey) throws KeyEscrowException {
        return identity.sign(statement(nodeId, identity.publicKey(), transportKey));
    }

    static void verify(String nodeId, byte[] identityKey, byte[] transportKey, byte[] proof)
            throws SignatureException {
        EcdsaP256.verify(identityKey, statement(nodeId, identityKey, transportKey), proof);
    }
}
