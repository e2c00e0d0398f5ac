package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/** Runs both FROST rounds in memory for a chosen signer set. */
final class FrostTestKit {
    private FrostTestKit() {
    }

    /** Round one for each signer, then round two, returning the shares (unverified). */
    static Session runRounds(List<KeyShare> signers, byte[] message, SecureRandom random) {
        List<SigningNonces> nonces = new ArrayList<>();
        for (KeyShare signer : signers) {
            nonces.add(SigningNonces.generate(signer, random));
        }
        CommitmentList commitments = CommitmentList.sorted(nonces.stream().map(SigningNonces::commitment).toList());
        List<SignatureShare> shares = new ArrayList<>();
        for (int i = 0; i < signers.size(); i++) {
            shares.add(FrostSigner.sign(signers.get(i), nonces.get(i), commitments, message));
        }
        return new Session(commitments, shares);
    }

    static byte[] sign(PublicKeyPackage keys, List<KeyShare> signers, byte[] message, SecureRandom random)
            throws InvalidSignatureShareException {
        Session session = runRounds(signers, message, random);
        return new FrostAggregator(keys).aggregate(session.commitments(), message, session.shares());
    }

    /** Asserts the signature verifies as plain Ed25519 with Bouncy Castle and with SunEC. */
    static void assertStandardVerifiers(byte[] publicKey, byte[] message, byte[] signature) throws Exception {
        assertTrue(Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length), "Bouncy Castle");
        assertTrue(Rfc9591VectorsTest.jdkVerifies(publicKey, message, signature), "SunEC");
    }

    static List<KeyShare> pick(List<KeyShare> all, List<Integer> ids) {
        return ids.stream().map(id -> all.get(id - 1)).toList();
    }

    record Session(CommitmentList commitments, List<SignatureShare> shares) {
    }
}
