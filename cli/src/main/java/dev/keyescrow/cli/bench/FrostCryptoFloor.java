package dev.keyescrow.cli.bench;

import dev.keyescrow.core.frost.CommitmentList;
import dev.keyescrow.core.frost.DealerSplit;
import dev.keyescrow.core.frost.Ed25519KeyImport;
import dev.keyescrow.core.frost.FrostAggregator;
import dev.keyescrow.core.frost.FrostSigner;
import dev.keyescrow.core.frost.GroupElement;
import dev.keyescrow.core.frost.KeyShare;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.frost.SignatureShare;
import dev.keyescrow.core.frost.SigningNonces;
import dev.keyescrow.core.frost.TrustedDealer;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostStatements;
import dev.keyescrow.hsm.spec.AesKwp;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The cryptographic work one 3-of-5 FROST SIGN of one message cannot avoid, done in this
 * process with the same primitives and statements the nodes and the coordinator use, without
 * HTTP, Hazelcast, journals or tokens. At each of the 3 signing nodes: 3 approval signatures
 * checked; round one: the stored share unwrapped (AES-KWP under a fixed storage key), its
 * verification share computed and compared, one nonce pair drawn, the commitment statement
 * signed (P-256, the node identity). At the coordinator: 3 commitment signatures checked and the
 * round-two call signed. Round two at each node: the call's signature checked, the share
 * unwrapped again, the signature share computed and its statement signed. At the coordinator:
 * 3 share signatures checked, then the aggregate, which checks each signature share against its
 * verification share and the final signature as plain Ed25519.
 *
 * <p>The cluster also has the two holders that are not called commit in round one (every
 * holder commits once it counts t approvals); the floor leaves that work out: it is what the
 * protocol as built spends, not what signing needs.
 */
final class FrostCryptoFloor implements AutoCloseable {
    static final int THRESHOLD = 3;
    private static final int SHARES = 5;

    private final SecureRandom random;
    private final SecretBytes storageKek;
    private final List<byte[]> storedShares = new ArrayList<>();
    private final List<byte[]> pinnedVerificationShares = new ArrayList<>();
    private final GroupElement groupPublicKey;
    private final FrostAggregator aggregator;
    private final byte[] publicKey;
    private final List<byte[]> custodianPublicKeys = new ArrayList<>();
    private final List<SecretBytes> custodianKeys = new ArrayList<>();
    private final byte[] approvalMessage = new byte[320];
    private final List<byte[]> approvals = new ArrayList<>();
    private final List<SoftwareP256Signer> nodeIdentities = new ArrayList<>();
    private final SoftwareP256Signer coordinatorIdentity;
    private final String requestDigest;
    private final byte[] message = new byte[32];

    FrostCryptoFloor(SecureRandom random) {
        this.random = random;
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        storageKek = SecretBytes.moveFrom(kek);
        random.nextBytes(approvalMessage);
        random.nextBytes(message);
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        requestDigest = HexFormat.of().formatHex(digest);
        try (SecretBytes seed = Ed25519.generatePrivateKey(random)) {
            publicKey = Ed25519.publicKeyOf(seed);
            byte[] raw = seed.toByteArray(SecretAccess.plaintext());
            try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(raw);
                 DealerSplit split = TrustedDealer.split(secret, THRESHOLD, SHARES, random)) {
                for (KeyShare share : split.shares()) {
                    byte[] scalar = share.signingShare().toByteArray(SecretAccess.plaintext());
                    try (SecretBytes value = SecretBytes.moveFrom(scalar)) {
                        storedShares.add(AesKwp.wrap(storageKek, value));
                    }
                    pinnedVerificationShares.add(share.verificationShare().toBytes());
                }
                groupPublicKey = split.publicKeyPackage().groupPublicKey();
                aggregator = new FrostAggregator(split.publicKeyPackage());
            } finally {
                java.util.Arrays.fill(raw, (byte) 0);
            }
        }
        for (int i = 0; i < SHARES; i++) {
            SecretBytes custodian = Ed25519.generatePrivateKey(random);
            custodianKeys.add(custodian);
            custodianPublicKeys.add(Ed25519.publicKeyOf(custodian));
            approvals.add(Ed25519.sign(custodian, approvalMessage));
            nodeIdentities.add(SoftwareP256Signer.generate(random));
        }
        coordinatorIdentity = SoftwareP256Signer.generate(random);
    }

    /** The group public key the floor's signatures verify under (raw 32 bytes). */
    byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Runs {@code warmup} then {@code iterations} signatures on this thread.
     *
     * @return this thread's CPU time per signature, in nanoseconds
     */
    long measure(int warmup, int iterations) throws Exception {
        for (int i = 0; i < warmup; i++) {
            signOnce(i);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < iterations; i++) {
            signOnce(i);
        }
        return (threads.getCurrentThreadCpuTime() - start) / iterations;
    }

    /** One SIGN of the floor's message; returns the aggregated signature. */
    byte[] signOnce(int round) throws Exception {
        String requestId = "floor-" + round;
        List<SigningNonces> nonces = new ArrayList<>();
        List<FrostCommitmentMessage> commitments = new ArrayList<>();
        try {
            for (int n = 0; n < THRESHOLD; n++) {
                // the node: its own quorum check, then round one
                for (int a = 0; a < THRESHOLD; a++) {
                    Ed25519.verify(custodianPublicKeys.get(a), approvalMessage, approvals.get(a));
                }
                try (KeyShare share = openShare(n)) {
                    nonces.add(SigningNonces.generate(share, random));
                }
                SigningNonces mine = nonces.get(n);
                List<byte[]> both = List.of(concat(mine.commitment().hiding().toBytes(),
                        mine.commitment().binding().toBytes()));
                byte[] statement = FrostStatements.commitment(requestId, requestDigest, 1, nodeId(n), n + 1, both);
                commitments.add(new FrostCommitmentMessage(requestId, requestDigest, 1, nodeId(n), n + 1, both,
                        nodeIdentities.get(n).sign(statement)));
            }
            // the coordinator: the commitments' signatures, then the signed call for round two
            for (int n = 0; n < THRESHOLD; n++) {
                FrostCommitmentMessage c = commitments.get(n);
                EcdsaP256.verify(nodeIdentities.get(n).publicKey(), c.statement(), c.signature());
            }
            FrostCallMessage unsigned = new FrostCallMessage(requestId, requestDigest, 1, commitments, new byte[0]);
            FrostCallMessage call = new FrostCallMessage(requestId, requestDigest, 1, commitments,
                    CoordinatorStatement.sign(coordinatorIdentity, CoordinatorStatement.Kind.FROST_ROUND,
                            unsigned.bodyDigest()));
            CommitmentList list = new CommitmentList(nonces.stream().map(SigningNonces::commitment).toList());
            List<SignatureShare> shares = new ArrayList<>();
            for (int n = 0; n < THRESHOLD; n++) {
                // round two at the node: the call, the share again, the signature share and its statement
                CoordinatorStatement.verify(coordinatorIdentity.publicKey(), CoordinatorStatement.Kind.FROST_ROUND,
                        call.bodyDigest(), call.coordinatorSignature());
                SignatureShare z;
                try (KeyShare share = openShare(n)) {
                    z = FrostSigner.sign(share, nonces.get(n), list, message);
                }
                byte[] statement = FrostStatements.signatureShare(requestId, requestDigest, 1, nodeId(n), n + 1,
                        List.of(FrostStatements.sha256(list.encode())), List.of(z.value()));
                byte[] signed = nodeIdentities.get(n).sign(statement);
                // the coordinator: the share's node signature, kept for the aggregate
                EcdsaP256.verify(nodeIdentities.get(n).publicKey(), statement, signed);
                shares.add(z);
            }
            // checks every share against its verification share and the result as plain Ed25519
            return aggregator.aggregate(list, message, shares);
        } finally {
            nonces.forEach(SigningNonces::close);
        }
    }

    byte[] message() {
        return message.clone();
    }

    private KeyShare openShare(int n) throws Exception {
        KeyShare share;
        try (SecretBytes opened = AesKwp.unwrap(storageKek, storedShares.get(n))) {
            share = new KeyShare(dev.keyescrow.core.frost.ParticipantId.of(n + 1),
                    SecretScalar.moveFrom(opened.toByteArray(SecretAccess.plaintext())), groupPublicKey, THRESHOLD);
        }
        if (!java.util.Arrays.equals(share.verificationShare().toBytes(), pinnedVerificationShares.get(n))) {
            share.close();
            throw new IllegalStateException("a stored share does not match its pinned verification share");
        }
        return share;
    }

    @Override
    public void close() {
        storageKek.destroy();
        custodianKeys.forEach(SecretBytes::destroy);
    }

    private static String nodeId(int n) {
        return "node-" + (n + 1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
