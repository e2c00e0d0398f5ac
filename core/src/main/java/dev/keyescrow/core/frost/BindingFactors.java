package dev.keyescrow.core.frost;

import cafe.cryptography.curve25519.Scalar;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 9591 section 4.4, compute_binding_factors: for each participant,
 * rho_i = H1(group public key || H4(message) || H5(commitment list) || identifier).
 * Public values, computed alike by every signer and the aggregator.
 */
final class BindingFactors {
    private final Map<ParticipantId, byte[]> inputs = new LinkedHashMap<>();
    private final Map<ParticipantId, Scalar> factors = new LinkedHashMap<>();

    BindingFactors(GroupElement groupPublicKey, CommitmentList commitments, byte[] message) {
        byte[] prefix = concat(groupPublicKey.toBytes(), FrostHash.h4(message), FrostHash.h5(commitments.encode()));
        for (ParticipantId id : commitments.participants()) {
            byte[] input = concat(prefix, id.toScalarBytes());
            inputs.put(id, input);
            factors.put(id, FrostHash.h1(input));
        }
    }

    Scalar of(ParticipantId id) {
        Scalar factor = factors.get(id);
        if (factor == null) {
            throw new IllegalArgumentException(id + " has no commitment in this signing session");
        }
        return factor;
    }

    /** The hash input of {@code id}'s binding factor (checked against the RFC's vectors). */
    byte[] inputOf(ParticipantId id) {
        return inputs.get(id).clone();
    }

    Map<ParticipantId, Scalar> all() {
        return Collections.unmodifiableMap(factors);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, offset, part.length);
            offset += part.length;
        }
        return out;
    }
}
