package dev.keyescrow.node.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.node.approval.NodeRefusedException;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.cluster.HazelcastMembers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Attack fixture: two real nodes ({@code node-a}, {@code node-b}: development-vault tokens,
 * journals, blob stores, Hazelcast members) and a cluster member that holds the pinned
 * coordinator's signing key — a compromised coordinator. It runs honest ceremonies (shares
 * imported for real, manifests countersigned by the custodians' own keys) and, for the
 * attacks, publishes whatever its key can sign. Custodians are Ed25519 keys held here.
 */
final class RogueCoordinator implements AutoCloseable {
    final SecureRandom random = new SecureRandom();
    final SoftwareP256Signer signer = SoftwareP256Signer.generate(random);
    final HazelcastInstance member;
    final NodeHarness nodeA;
    NodeHarness nodeB;
    /** The secrets {@link #frostKey} dealt, kept so attack tests can look for them: the group secret first, then s_1..s_n. */
    final List<byte[]> dealtSecrets = new ArrayList<>();
    private final Path dir;
    private final ClusterSettings nodeBSettings;
    private final Clock clock;
    private final Queue<String> refusals;
    final Map<String, SecretBytes> custodianKeys = new LinkedHashMap<>();
    /** The deadline the next imports carry (an honest ceremony: the window from the nodes' clock). */
    Instant importDeadline;

    RogueCoordinator(Path dir, Clock clock, Queue<String> refusals) throws Exception {
        importDeadline = clock.instant().plus(ImportMessage.WINDOW);
        String cluster = "attack-" + UUID.randomUUID();
        int base = 13701 + random.nextInt(2000);
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
        member = HazelcastMembers.start(new ClusterSettings(cluster, "127.0.0.1", base, members));
        nodeA = new NodeHarness("node-a", dir.resolve("a"), signer.publicKey(),
                new ClusterSettings(cluster, "127.0.0.1", base + 1, members), clock, refusals);
        nodeBSettings = new ClusterSettings(cluster, "127.0.0.1", base + 2, members);
        nodeB = new NodeHarness("node-b", dir.resolve("b"), signer.publicKey(), nodeBSettings, clock, refusals);
        this.dir = dir;
        this.clock = clock;
        this.refusals = refusals;
    }

    /** Stops node-b (its in-memory state, nonces included, is gone) and starts it again from its files. */
    void restartNodeB() throws Exception {
        nodeB.close();
        nodeB = new NodeHarness("node-b", dir.resolve("b"), signer.publicKey(), nodeBSettings, clock, refusals, true);
    }

    /** The custodian {@code id}'s key, made on first use. */
    SecretBytes custodian(String id) {
        return custodianKeys.computeIfAbsent(id, k -> Ed25519.generatePrivateKey(random));
    }

    NodeHarness node(String nodeId) {
        return nodeId.equals("node-a") ? nodeA : nodeB;
    }

    /**
     * A manifest of {@code keyId} v{@code version}, 2-of-3: custodians {@code ids} on node-a,
     * node-a, node-b, each with the key {@code custodian(id)} unless {@code keys} overrides it.
     */
    Manifest manifest(String keyId, int version, List<String> ids, Map<String, byte[]> keys) {
        return manifest(keyId, version, 2, ids, keys);
    }

    /** As {@link #manifest(String, int, List, Map)} with threshold {@code threshold}. */
    Manifest manifest(String keyId, int version, int threshold, List<String> ids, Map<String, byte[]> keys) {
        String[] nodes = {"node-a", "node-a", "node-b"};
        List<Holder> holders = new ArrayList<>();
        for (int i = 1; i <= ids.size(); i++) {
            String id = ids.get(i - 1);
            byte[] salt = new byte[32];
            random.nextBytes(salt);
            byte[] publicKey = keys.containsKey(id) ? keys.get(id) : Ed25519.publicKeyOf(custodian(id));
            holders.add(new Holder(i, id, publicKey, nodes[i - 1], new ShareCommitment(i, salt, "ab".repeat(32))));
        }
        return new Manifest(keyId, version, KeyAlgorithm.AES_256, threshold, holders, new Kcv("123abc"));
    }

    /**
     * A FROST manifest of {@code keyId} v1, 2-of-3 on node-a, node-a, node-b: Ed25519, its group
     * key and verification shares from RFC 9591's trusted dealer over a random seed.
     */
    Manifest frostManifest(String keyId, List<String> ids) {
        Manifest plain = manifest(keyId, 1, 2, ids, Map.of());
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        try (dev.keyescrow.core.frost.SecretScalar secret = dev.keyescrow.core.frost.Ed25519KeyImport
                .secretScalarOf(seed);
             dev.keyescrow.core.frost.DealerSplit split = dev.keyescrow.core.frost.TrustedDealer.split(secret, 2,
                     ids.size(), random)) {
            dev.keyescrow.core.integrity.FrostPublicKeys keys = dev.keyescrow.core.integrity.FrostPublicKeys.of(
                    split.publicKeyPackage());
            return new Manifest(keyId, 1, KeyAlgorithm.ED25519, 2, plain.holders(),
                    Kcv.ofPublicKey(keys.groupPublicKey()), keys);
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * A FROST key whose holders get their real RFC 9591 shares (the dealt scalars), imported and
     * pinned on both nodes: 2-of-3, shares 1 and 2 on node-a, 3 on node-b.
     */
    Manifest frostKey(String keyId, List<String> ids) throws Exception {
        Manifest plain = manifest(keyId, 1, 2, ids, Map.of());
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        Manifest manifest;
        try (dev.keyescrow.core.frost.SecretScalar secret = dev.keyescrow.core.frost.Ed25519KeyImport
                .secretScalarOf(seed);
             dev.keyescrow.core.frost.DealerSplit split = dev.keyescrow.core.frost.TrustedDealer.split(secret, 2,
                     ids.size(), random)) {
            dev.keyescrow.core.integrity.FrostPublicKeys keys = dev.keyescrow.core.integrity.FrostPublicKeys.of(
                    split.publicKeyPackage());
            manifest = new Manifest(keyId, 1, KeyAlgorithm.ED25519, 2, plain.holders(),
                    Kcv.ofPublicKey(keys.groupPublicKey()), keys);
            dealtSecrets.add(secret.toByteArray(dev.keyescrow.core.secret.SecretAccess.plaintext()));
            split.shares().forEach(k -> dealtSecrets.add(k.signingShare()
                    .toByteArray(dev.keyescrow.core.secret.SecretAccess.plaintext())));
            for (Holder h : manifest.holders()) {
                NodeHarness node = node(h.nodeId());
                ShareRef ref = new ShareRef(keyId, 1, h.index(), 32);
                byte[] value = split.shares().get(h.index() - 1).signingShare()
                        .toByteArray(dev.keyescrow.core.secret.SecretAccess.plaintext());
                byte[] envelope;
                try (SecretBytes share = SecretBytes.moveFrom(value)) {
                    envelope = ShareSender.wrapForImport(node.token.transportPublicKey(), ref, share, random);
                }
                ImportMessage unsigned = new ImportMessage(node.nodeId, keyId, 1, h.index(), 32, importDeadline,
                        envelope, new byte[64]);
                ImportMessage message = new ImportMessage(node.nodeId, keyId, 1, h.index(), 32, importDeadline,
                        envelope, CoordinatorStatement.sign(signer, Kind.IMPORT, unsigned.digest()));
                member.<String, byte[]>getMap(ClusterMaps.IMPORTS).set(message.key(), message.encode());
            }
        } finally {
            java.util.Arrays.fill(seed, (byte) 0);
        }
        Manifest pinned = manifest;
        await(keyId + " shares held", () -> pinned.holders().stream().allMatch(h -> node(h.nodeId()).service
                .heldShares().contains(keyId + "/1/" + h.index())));
        publishManifest(manifest);
        await(keyId + " pinned", () -> nodeA.service.isPinned(keyId, 1) && nodeB.service.isPinned(keyId, 1));
        return manifest;
    }

    /** Coordinator-signed import messages of a real share for every holder of {@code manifest}, by map key. */
    Map<String, byte[]> signedImports(Manifest manifest) throws Exception {
        Map<String, byte[]> signed = new LinkedHashMap<>();
        for (Holder h : manifest.holders()) {
            NodeHarness node = node(h.nodeId());
            ShareRef ref = new ShareRef(manifest.keyId(), manifest.version(), h.index(), 32);
            byte[] value = new byte[32];
            random.nextBytes(value);
            byte[] envelope;
            try (SecretBytes share = SecretBytes.moveFrom(value)) {
                envelope = ShareSender.wrapForImport(node.token.transportPublicKey(), ref, share, random);
            }
            ImportMessage unsigned = new ImportMessage(node.nodeId, ref.keyId(), ref.version(), ref.index(), 32,
                    importDeadline, envelope, new byte[64]);
            ImportMessage message = new ImportMessage(node.nodeId, ref.keyId(), ref.version(), ref.index(), 32,
                    importDeadline, envelope, CoordinatorStatement.sign(signer, Kind.IMPORT, unsigned.digest()));
            signed.put(message.key(), message.encode());
        }
        return signed;
    }

    /**
     * Imports a real share for every holder of {@code manifest} on its node, and returns the
     * import messages as they went over the cluster (what any member could record).
     */
    Map<String, byte[]> importShares(Manifest manifest) throws Exception {
        Map<String, byte[]> sent = signedImports(manifest);
        sent.forEach((key, bytes) -> member.<String, byte[]>getMap(ClusterMaps.IMPORTS).set(key, bytes));
        await("shares of " + manifest.keyId() + " v" + manifest.version() + " held", () -> manifest.holders().stream()
                .allMatch(h -> node(h.nodeId()).service.heldShares().contains(manifest.keyId() + "/" + manifest.version()
                        + "/" + h.index())));
        return sent;
    }

    /** Publishes {@code manifest}, signed by the coordinator's key and countersigned by the keys held here. */
    void publishManifest(Manifest manifest) throws Exception {
        Map<String, byte[]> countersignatures = new TreeMap<>();
        for (Holder h : manifest.holders()) {
            countersignatures.put(h.custodianId(), Ed25519.sign(custodian(h.custodianId()),
                    manifest.countersignatureStatement(h.custodianId())));
        }
        member.<String, byte[]>getMap(ClusterMaps.MANIFESTS).set(manifest.keyId() + "/" + manifest.version(),
                new ManifestMessage(new String(manifest.canonicalJson(), StandardCharsets.UTF_8),
                        CoordinatorStatement.sign(signer, Kind.MANIFEST, manifest.digest()), countersignatures)
                        .encode());
    }

    /** An honest key: shares imported, manifest published, pinned on both nodes. */
    Manifest pinnedKey(String keyId, List<String> custodians) throws Exception {
        return pinnedKey(keyId, custodians, new LinkedHashMap<>());
    }

    /** An honest key, its import messages recorded into {@code imports}. */
    Manifest pinnedKey(String keyId, List<String> custodians, Map<String, byte[]> imports) throws Exception {
        Manifest manifest = manifest(keyId, 1, custodians, Map.of());
        imports.putAll(importShares(manifest));
        publishManifest(manifest);
        await(keyId + " pinned", () -> nodeA.service.isPinned(keyId, 1) && nodeB.service.isPinned(keyId, 1));
        return manifest;
    }

    CanonicalRequest request(String requestId, Manifest manifest, Operation operation, RequestParams params,
                             Instant now) throws Exception {
        CanonicalRequest request = publishRequest(requestId, manifest, operation, params, now);
        await(requestId + " on both nodes", () -> holds(nodeA, requestId) && holds(nodeB, requestId));
        return request;
    }

    /** Signs and publishes a request without waiting for the nodes to take it. */
    CanonicalRequest publishRequest(String requestId, Manifest manifest, Operation operation, RequestParams params,
                                    Instant now) throws Exception {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        CanonicalRequest request = new CanonicalRequest(requestId, operation, manifest.keyId(), manifest.version(),
                params, "alice", "attack", now, now.plusSeconds(600), nonce, SoftwareP256Signer.generate(random)
                .publicKey());
        member.<String, byte[]>getMap(ClusterMaps.REQUESTS).set(requestId, new SignedRequestMessage(
                new String(request.canonicalJson(), StandardCharsets.UTF_8),
                CoordinatorStatement.sign(signer, Kind.REQUEST, request.digest())).encode());
        return request;
    }

    /** The holders of {@code manifest} approve at their own nodes, as honest custodians would. */
    void approveByAll(CanonicalRequest request, Manifest manifest) throws Exception {
        for (Holder h : manifest.holders()) {
            NodeHarness node = node(h.nodeId());
            Approval approval = Approval.sign(request, h.custodianId(), Decision.APPROVE, custodian(h.custodianId()));
            node.service.answer(approval);
            node.bridge.publish(new AnswerMessage(node.nodeId, approval));
        }
    }

    static boolean holds(NodeHarness node, String requestId) {
        try {
            node.service.view(requestId);
            return true;
        } catch (NodeRefusedException e) {
            return false;
        }
    }

    /** Polls until {@code condition} holds; cluster delivery is asynchronous. Fails after 30 s. */
    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        nodeA.close();
        nodeB.close();
        member.shutdown();
        custodianKeys.values().forEach(SecretBytes::destroy);
    }
}
