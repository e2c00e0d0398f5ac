package dev.keyescrow.cli.bench;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.AesKwp;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.KekContext;
import dev.keyescrow.hsm.spec.KekDerivation;
import dev.keyescrow.hsm.spec.P256;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * The cryptographic work one 3-of-5 reconstruction cannot avoid, done in this process with the
 * same primitives the node and the coordinator use, without HTTP, Hazelcast, journals or
 * tokens: a fresh request key pair; at each of the 3 releasing nodes, 3 approval signatures
 * checked, the stored share unwrapped (AES-KWP under a fixed storage key), the release KEK
 * derived by ECDH, the share wrapped and the release statement signed; at the coordinator,
 * 3 release signatures checked, 3 releases opened by ECDH and 1 combine.
 */
final class CryptoFloor implements AutoCloseable {
    static final int THRESHOLD = 3;
    private static final int SHARES = 5;
    private static final String KEY_ID = "floor-key";

    private final SecureRandom random;
    private final SecretBytes storageKek;
    private final List<SecretBytes> custodianKeys = new ArrayList<>();
    private final List<byte[]> custodianPublicKeys = new ArrayList<>();
    private final List<SecretBytes> nodeIdentities = new ArrayList<>();
    private final List<byte[]> nodeIdentityPublicKeys = new ArrayList<>();
    private final List<SecretBytes> nodeTransports = new ArrayList<>();
    private final List<byte[]> nodeTransportPublicKeys = new ArrayList<>();
    private final SecretBytes secret;
    private final List<Share> shares;
    private final List<byte[]> storedShares = new ArrayList<>();
    private final byte[] approvalMessage = new byte[320];
    private final List<byte[]> approvals = new ArrayList<>();
    private final byte[] requestDigest = new byte[32];

    CryptoFloor(SecureRandom random) {
        this.random = random;
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        storageKek = SecretBytes.moveFrom(kek);
        random.nextBytes(approvalMessage);
        random.nextBytes(requestDigest);
        for (int i = 0; i < SHARES; i++) {
            SecretBytes custodian = Ed25519.generatePrivateKey(random);
            custodianKeys.add(custodian);
            custodianPublicKeys.add(Ed25519.publicKeyOf(custodian));
            approvals.add(Ed25519.sign(custodian, approvalMessage));
            SecretBytes identity = Ed25519.generatePrivateKey(random);
            nodeIdentities.add(identity);
            nodeIdentityPublicKeys.add(Ed25519.publicKeyOf(identity));
            SecretBytes transport = P256.generatePrivateKey(random);
            nodeTransports.add(transport);
            nodeTransportPublicKeys.add(P256.publicKeyOf(transport));
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        secret = SecretBytes.moveFrom(bytes);
        shares = new Shamir(random).split(secret, THRESHOLD, SHARES);
        for (Share share : shares) {
            storedShares.add(AesKwp.wrap(storageKek, share.value()));
        }
    }

    /**
     * Runs {@code warmup} then {@code iterations} reconstructions on this thread.
     *
     * @return this thread's CPU time per reconstruction, in nanoseconds
     */
    long measure(int warmup, int iterations) throws Exception {
        for (int i = 0; i < warmup; i++) {
            reconstructOnce(i);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < iterations; i++) {
            reconstructOnce(i);
        }
        return (threads.getCurrentThreadCpuTime() - start) / iterations;
    }

    private void reconstructOnce(int round) throws Exception {
        String requestId = "floor-" + round;
        try (EphemeralKey request = EphemeralKey.generate(random)) {
            byte[] requestKey = request.publicKey();
            List<Share> opened = new ArrayList<>();
            try {
                for (int n = 0; n < THRESHOLD; n++) {
                    ShareRef ref = ref(n + 1);
                    // the node: its own quorum check, then the release
                    for (int a = 0; a < THRESHOLD; a++) {
                        Ed25519.verify(custodianPublicKeys.get(a), approvalMessage, approvals.get(a));
                    }
                    byte[] wrapped;
                    try (SecretBytes share = AesKwp.unwrap(storageKek, storedShares.get(n));
                         SecretBytes kek = KekDerivation.deriveKek(nodeTransports.get(n), requestKey,
                                 KekContext.forRelease(requestId, requestDigest, ref), requestKey,
                                 nodeTransportPublicKeys.get(n))) {
                        wrapped = AesKwp.wrap(kek, share);
                    }
                    byte[] statement = (requestId + "/" + ref.label()).getBytes(StandardCharsets.US_ASCII);
                    byte[] signature = Ed25519.sign(nodeIdentities.get(n), statement);
                    // the coordinator: the release's signature, then the share it carries
                    Ed25519.verify(nodeIdentityPublicKeys.get(n), statement, signature);
                    try (SecretBytes value = ReleaseOpener.open(request, nodeTransportPublicKeys.get(n), requestId,
                            requestDigest, ref, wrapped)) {
                        Share template = shares.get(n);
                        opened.add(Share.of(template.splitId(), template.parameters(), template.index(), value));
                    }
                }
                try (SecretBytes key = Shamir.combine(opened)) {
                    // checked so that no step of the floor can be optimized away or go wrong unseen
                    if (!key.equalsSecret(secret)) {
                        throw new IllegalStateException("the floor's reconstruction did not rebuild the key");
                    }
                }
            } finally {
                opened.forEach(Share::destroy);
            }
        }
    }

    @Override
    public void close() {
        secret.destroy();
        storageKek.destroy();
        shares.forEach(Share::destroy);
        custodianKeys.forEach(SecretBytes::destroy);
        nodeIdentities.forEach(SecretBytes::destroy);
        nodeTransports.forEach(SecretBytes::destroy);
    }

    private static ShareRef ref(int index) {
        return new ShareRef(KEY_ID, 1, index, 32);
    }
}
