package dev.keyescrow.core.frost;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;

/**
 * The digest of a DKG's public transcript: SHA-256 over {@code uint32be(len) || context} and
 * then {@code uint32be(len) || package} for every round-one package in identifier order. Every
 * honest participant and the coordinator compute the same bytes from what was published; the
 * manifest pins them, so a key can be traced to the one ceremony that made it.
 */
public final class DkgTranscript {
    private DkgTranscript() {
    }

    /** @param packages every participant's round-one package, in identifier order 1..n */
    public static byte[] digest(byte[] context, Collection<DkgRound1Package> packages) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the platform", e);
        }
        sha.update(ByteBuffer.allocate(4).putInt(context.length).array());
        sha.update(context);
        int expected = 1;
        for (DkgRound1Package p : packages) {
            if (p.sender().value() != expected++) {
                throw new IllegalArgumentException("round-one packages must be listed by identifier 1..n");
            }
            byte[] encoded = p.encode();
            sha.update(ByteBuffer.allocate(4).putInt(encoded.length).array());
            sha.update(encoded);
        }
        return sha.digest();
    }
}
