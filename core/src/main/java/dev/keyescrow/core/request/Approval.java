package dev.keyescrow.core.request;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A custodian's signed answer to one request (design: Contract: signed approval). The
 * custodian signs, with Ed25519, the UTF-8 bytes of
 * {@code keyescrow-approval-v1\n<requestId>\n<requestDigest hex>\n<APPROVE|DENY>\n<custodianId>}.
 * Duplicates are recognised by (request, custodian), never by signature bytes.
 */
public record Approval(String requestId, String requestDigest, String custodianId, Decision decision,
                       byte[] signature) {
    public static final String PREFIX = "keyescrow-approval-v1";
    private static final Pattern DIGEST = Pattern.compile("[0-9a-f]{64}");

    public Approval {
        Identifiers.require(requestId, "request id");
        Objects.requireNonNull(requestDigest, "requestDigest");
        if (!DIGEST.matcher(requestDigest).matches()) {
            throw new IllegalArgumentException("request digest must be 64 lowercase hex digits");
        }
        Identifiers.require(custodianId, "custodian id");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(signature, "signature");
        signature = signature.clone();
    }

    /** The exact bytes a custodian signs. */
    public static byte[] statement(String requestId, String requestDigest, Decision decision, String custodianId) {
        return (PREFIX + "\n" + requestId + "\n" + requestDigest + "\n" + decision.name() + "\n" + custodianId)
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Signs an answer with the custodian's private key (the CLI does this on the custodian's machine). */
    public static Approval sign(CanonicalRequest request, String custodianId, Decision decision, SecretBytes key) {
        String digest = request.digest();
        byte[] signature = Ed25519.sign(key, statement(request.requestId(), digest, decision, custodianId));
        return new Approval(request.requestId(), digest, custodianId, decision, signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Checks the signature under the custodian's pinned key.
     *
     * @throws SignatureException if the signature is not exactly 64 bytes or does not verify
     */
    public void verify(byte[] custodianPublicKey) throws SignatureException {
        Ed25519.verify(custodianPublicKey, statement(requestId, requestDigest, decision, custodianId), signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Approval a && a.requestId.equals(requestId) && a.requestDigest.equals(requestDigest)
                && a.custodianId.equals(custodianId) && a.decision == decision && Arrays.equals(a.signature, signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, requestDigest, custodianId, decision, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Approval[" + requestId + " " + decision + " by " + custodianId + ", signature "
                + Base64.getEncoder().encodeToString(signature) + "]";
    }
}
