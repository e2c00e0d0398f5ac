package dev.keyescrow.node.cluster;

import dev.keyescrow.core.wire.ClusterMaps;

import dev.keyescrow.server.cluster.ClusterSettings;

import dev.keyescrow.server.cluster.HazelcastMembers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeRefusedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real Hazelcast members on loopback (a random cluster name, so runs never join each
 * other): the test plays the coordinator on one, two are custodian nodes with development
 * vault tokens, journals and blob stores. Shares are imported for real, released only on
 * each node's own count of t approvals, opened with the request's ephemeral key, and
 * shredded on DESTROY; forged messages count nowhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeClusterBridgeTest {
    private static final java.time.Instant DEADLINE = Ceremony.NOW.plus(ImportMessage.WINDOW);
    @TempDir
    static Path state;

    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
    private final Map<Integer, SecretBytes> shareValues = new HashMap<>();
    private Ceremony ceremony;
    private HazelcastInstance coordinator;
    private NodeHarness nodeA;
    private NodeHarness nodeB;

    @BeforeAll
    void start() throws Exception {
        ceremony = new Ceremony(random, "payments-key");
        String cluster = "test-" + UUID.randomUUID();
        int base = 15701 + random.nextInt(2000);
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
        coordinator = HazelcastMembers.start(new ClusterSettings(cluster, "127.0.0.1", base, members));
        nodeA = new NodeHarness("node-a", state.resolve("a"), ceremony.coordinator.publicKey(),
                new ClusterSettings(cluster, "127.0.0.1", base + 1, members), clock, refusals);
        nodeB = new NodeHarness("node-b", state.resolve("b"), ceremony.coordinator.publicKey(),
                new ClusterSettings(cluster, "127.0.0.1", base + 2, members), clock, refusals);

        // the ceremony: shares 1 and 2 go to node-a, share 3 to node-b (4 and 5 belong to nodes not started here)
        for (int index = 1; index <= 3; index++) {
            byte[] value = new byte[32];
            random.nextBytes(value);
            shareValues.put(index, SecretBytes.moveFrom(value));
            NodeHarness node = index <= 2 ? nodeA : nodeB;
            ShareRef ref = new ShareRef("payments-key", 1, index, 32);
            byte[] envelope = ShareSender.wrapForImport(node.token.transportPublicKey(), ref, shareValues.get(index),
                    random);
            ImportMessage unsigned = new ImportMessage(node.nodeId, "payments-key", 1, index, 32, DEADLINE, envelope,
                    new byte[64]);
            ImportMessage signed = new ImportMessage(node.nodeId, "payments-key", 1, index, 32, DEADLINE, envelope,
                    CoordinatorStatement.sign(ceremony.coordinator, Kind.IMPORT, unsigned.digest()));
            coordinator.<String, byte[]>getMap(ClusterMaps.IMPORTS).set(signed.key(), signed.encode());
        }
        IMap<String, byte[]> receipts = coordinator.getMap(ClusterMaps.RECEIPTS);
        await(() -> receipts.size() == 3);
        for (byte[] bytes : receipts.values()) {
            ImportReceiptMessage receipt = ImportReceiptMessage.decode(bytes);
            NodeHarness node = receipt.nodeId().equals("node-a") ? nodeA : nodeB;
            // the coordinator rebuilds the statement from what it sent plus the stored blob's digest
            String statement = String.join("\n", Statements.IMPORT_RECEIPT, receipt.nodeId(), receipt.keyId(),
                    String.valueOf(receipt.version()), String.valueOf(receipt.index()), String.valueOf(receipt.length()),
                    receipt.envelopeDigest(), receipt.storedBlobDigest());
            EcdsaP256.verify(node.token.identity().publicKey(), statement.getBytes(StandardCharsets.UTF_8),
                    receipt.signature());
        }

        Map<String, byte[]> countersignatures = new TreeMap<>();
        for (int c = 1; c <= 5; c++) {
            countersignatures.put("custodian-" + c, ceremony.countersignature(c).signature());
        }
        NodeEvent.ManifestAdmitted manifest = ceremony.manifestEvent();
        coordinator.<String, byte[]>getMap(ClusterMaps.MANIFESTS).set("payments-key/1",
                new ManifestMessage(manifest.canonical(), manifest.coordinatorSignature(), countersignatures).encode());
        await(() -> nodeA.service.isPinned("payments-key", 1) && nodeB.service.isPinned("payments-key", 1));
    }

    @AfterAll
    void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        coordinator.shutdown();
    }

    /** Polls until {@code condition} holds; cluster delivery is asynchronous. Fails after 30 s. */
    private void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s; refusals: " + refusals);
            }
            Thread.sleep(20);
        }
    }

    private void publishRequest(CanonicalRequest request) throws Exception {
        byte[] signature = CoordinatorStatement.sign(ceremony.coordinator, Kind.REQUEST, request.digest());
        coordinator.<String, byte[]>getMap(ClusterMaps.REQUESTS).set(request.requestId(),
                new SignedRequestMessage(new String(request.canonicalJson(), StandardCharsets.UTF_8), signature)
                        .encode());
        await(() -> hasRequest(nodeA, request.requestId()) && hasRequest(nodeB, request.requestId()));
    }

    private static void answerAt(NodeHarness node, Approval approval) throws Exception {
        node.service.answer(approval);
        node.bridge.publish(new AnswerMessage(node.nodeId, approval));
    }

    private static boolean hasRequest(NodeHarness node, String requestId) {
        try {
            node.service.view(requestId);
            return true;
        } catch (NodeRefusedException e) {
            return false;
        }
    }

    private List<ReleaseMessage> releasesOf(String requestId) throws Exception {
        List<ReleaseMessage> out = new java.util.ArrayList<>();
        for (var entry : coordinator.<String, byte[]>getMap(ClusterMaps.RELEASES).entrySet()) {
            if (entry.getKey().startsWith(requestId + "/")) {
                out.add(ReleaseMessage.decode(entry.getValue()));
            }
        }
        return out;
    }

    @Test
    @Order(1)
    void sharesAreReleasedOnlyAfterEachNodeCountedTApprovalsAndOpenOnlyWithTheRequestKey() throws Exception {
        EphemeralKey requestKey = EphemeralKey.generate(random);
        CanonicalRequest request = ceremony.request("req-use", Operation.USE, new RequestParams.Use(1, 60),
                requestKey.publicKey());
        publishRequest(request);

        answerAt(nodeA, ceremony.answer(request, 1, Decision.APPROVE));
        answerAt(nodeA, ceremony.answer(request, 2, Decision.APPROVE));
        await(() -> nodeB.service.view("req-use").approvers().size() == 2);
        assertEquals(RequestState.PENDING, nodeA.service.view("req-use").state(), "t - 1 everywhere");
        assertEquals(List.of(), releasesOf("req-use"), "t - 1 approvals release nothing");

        answerAt(nodeB, ceremony.answer(request, 3, Decision.APPROVE));
        await(() -> releasesOf("req-use").size() == 3);
        for (ReleaseMessage release : releasesOf("req-use")) {
            NodeHarness node = release.nodeId().equals("node-a") ? nodeA : nodeB;
            ShareRef ref = new ShareRef(release.keyId(), release.version(), release.index(), release.length());
            byte[] digest = HexFormat.of().parseHex(release.requestDigest());
            EcdsaP256.verify(node.token.identity().publicKey(), Statements.release(release.requestId(), digest,
                    release.nodeId(), ref, release.wrapped()), release.signature());
            try (SecretBytes opened = ReleaseOpener.open(requestKey, node.token.transportPublicKey(), "req-use", digest,
                    ref, release.wrapped())) {
                assertArrayEquals(shareValues.get(release.index()).toByteArray(SecretAccess.plaintext()),
                        opened.toByteArray(SecretAccess.plaintext()), "share " + release.index());
            }
        }
        assertEquals(2, nodeA.service.releases("req-use").size(), "each share is released once");
        assertEquals(1, nodeB.service.releases("req-use").size());
    }

    /**
     * EXPORT: each node wraps its share to the recipient key the approved request names
     * (purpose export-release) and signs the export release statement; the request's
     * ephemeral key, which the coordinator holds, opens none of them.
     */
    @Test
    @Order(1)
    void exportReleasesGoToTheRecipientKey_andTheRequestKeyOpensNone() throws Exception {
        EphemeralKey requestKey = EphemeralKey.generate(random);
        EphemeralKey recipient = EphemeralKey.generate(random);
        CanonicalRequest request = ceremony.request("req-export", Operation.EXPORT,
                new RequestParams.Export(recipient.publicKey()), requestKey.publicKey());
        publishRequest(request);
        for (int custodian = 1; custodian <= 3; custodian++) {
            answerAt(custodian <= 2 ? nodeA : nodeB, ceremony.answer(request, custodian, Decision.APPROVE));
        }
        await(() -> releasesOf("req-export").size() == 3);
        for (ReleaseMessage release : releasesOf("req-export")) {
            NodeHarness node = release.nodeId().equals("node-a") ? nodeA : nodeB;
            ShareRef ref = new ShareRef(release.keyId(), release.version(), release.index(), release.length());
            byte[] digest = HexFormat.of().parseHex(release.requestDigest());
            EcdsaP256.verify(node.token.identity().publicKey(), Statements.exportRelease(release.requestId(), digest,
                    release.nodeId(), ref, ceremony.manifest.digest(), recipient.publicKey(),
                    node.token.transportPublicKey(), release.wrapped()), release.signature());
            assertThrows(CorruptBlobException.class, () -> ReleaseOpener.open(requestKey,
                    node.token.transportPublicKey(), "req-export", digest, ref, release.wrapped()),
                    "the coordinator's request key opens no export release");
            try (SecretBytes opened = ExportReleaseOpener.open(recipient, node.token.transportPublicKey(),
                    "req-export", digest, ref, release.wrapped())) {
                assertArrayEquals(shareValues.get(release.index()).toByteArray(SecretAccess.plaintext()),
                        opened.toByteArray(SecretAccess.plaintext()), "share " + release.index());
            }
        }
    }

    /**
     * The maps deliver independently: an answer given at another node can reach a node
     * before the request does. It is refused then, and must still count once the request
     * arrives, or the request would wait for ever for a release.
     */
    @Test
    @Order(2)
    void anAnswerThatArrivesBeforeItsRequestCountsOnceTheRequestArrives() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-early-answers");
        long before = nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount();
        IMap<String, byte[]> answers = coordinator.getMap(ClusterMaps.ANSWERS);
        for (int custodian : new int[] {4, 5}) {
            Approval approval = ceremony.answer(request, custodian, Decision.APPROVE);
            answers.set(new AnswerMessage("node-" + (char) ('a' + custodian - 1), approval).key(),
                    new AnswerMessage("node-" + (char) ('a' + custodian - 1), approval).encode());
        }
        await(() -> nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount() >= before + 4);
        assertTrue(refusals.stream().anyMatch(r -> r.contains("no request req-early-answers")), refusals.toString());

        publishRequest(request);
        await(() -> nodeA.service.view("req-early-answers").approvers().size() == 2
                && nodeB.service.view("req-early-answers").approvers().size() == 2);
        assertEquals(List.of("custodian-4", "custodian-5"), List.copyOf(
                new java.util.TreeSet<>(nodeA.service.view("req-early-answers").approvers())));
    }

    @Test
    @Order(3)
    void forgedAndGarbageMessagesCountNowhere() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-rogue");
        publishRequest(request);
        long before = nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount();

        IMap<String, byte[]> answers = coordinator.getMap(ClusterMaps.ANSWERS);
        answers.set("garbage", "not json".getBytes(StandardCharsets.UTF_8));
        Approval genuine = ceremony.answer(request, 4, Decision.APPROVE);
        Approval forged = new Approval("req-rogue", request.digest(), "custodian-5", Decision.APPROVE,
                genuine.signature());
        answers.set("req-rogue/custodian-5", new AnswerMessage("node-d", forged).encode());
        SoftwareP256Signer impostor = SoftwareP256Signer.generate(random);
        CanonicalRequest sneaky = ceremony.useRequest("req-sneaky");
        coordinator.<String, byte[]>getMap(ClusterMaps.REQUESTS).set("req-sneaky", new SignedRequestMessage(
                new String(sneaky.canonicalJson(), StandardCharsets.UTF_8),
                CoordinatorStatement.sign(impostor, Kind.REQUEST, sneaky.digest())).encode());

        await(() -> nodeA.bridge.refusedCount() + nodeB.bridge.refusedCount() >= before + 6);
        assertEquals(List.of(), nodeA.service.view("req-rogue").approvers());
        assertEquals(List.of(), nodeB.service.view("req-rogue").approvers());
        assertTrue(!hasRequest(nodeA, "req-sneaky") && !hasRequest(nodeB, "req-sneaky"));
        assertTrue(refusals.stream().anyMatch(r -> r.contains("not signed by the pinned coordinator")),
                refusals.toString());
    }

    @Test
    @Order(4)
    void theCoordinatorsJournalHeadIsWitnessedAndAJournalThatWentBackIsAnAlert() throws Exception {
        try (dev.keyescrow.journal.Journal journal = dev.keyescrow.journal.Journal.open(state.resolve("coordinator"),
                ceremony.coordinator, java.time.Clock.systemUTC(), dev.keyescrow.journal.ReplayHandler.IGNORE)) {
            IMap<String, byte[]> heads = coordinator.getMap(ClusterMaps.HEADS);
            journal.append("event", new byte[] {1});
            journal.append("event", new byte[] {2});
            var two = journal.publishHead("coordinator");
            journal.append("event", new byte[] {3});
            var three = journal.publishHead("coordinator");
            heads.set("coordinator", three.encoded());
            await(() -> nodeA.bridge.witnessedCoordinatorHead().map(h -> h.sequence() == 3).orElse(false));
            heads.set("coordinator", two.encoded());
            await(() -> refusals.stream().anyMatch(r -> r.contains("went back from record 3 to 2")));
            // the nodes publish their own heads for the coordinator to witness
            await(() -> heads.containsKey("node-a") && heads.containsKey("node-b"));
        }
    }

    @Test
    @Order(5)
    void destroyShredsTheVersionOnEveryNodeAndSignsReceipts() throws Exception {
        CanonicalRequest destroy = ceremony.request("req-destroy", Operation.DESTROY, new RequestParams.None());
        publishRequest(destroy);
        answerAt(nodeA, ceremony.answer(destroy, 1, Decision.APPROVE));
        answerAt(nodeA, ceremony.answer(destroy, 2, Decision.APPROVE));
        answerAt(nodeB, ceremony.answer(destroy, 3, Decision.APPROVE));
        IMap<String, byte[]> shreds = coordinator.getMap(ClusterMaps.SHREDS);
        await(() -> shreds.size() == 2);
        for (byte[] bytes : shreds.values()) {
            ShredReceiptMessage receipt = ShredReceiptMessage.decode(bytes);
            NodeHarness node = receipt.nodeId().equals("node-a") ? nodeA : nodeB;
            List<ShareRef> refs = receipt.destroyed().stream().map(k -> {
                String[] p = k.split("/");
                return new ShareRef(p[0], Integer.parseInt(p[1]), Integer.parseInt(p[2]), 32);
            }).toList();
            EcdsaP256.verify(node.token.identity().publicKey(), Statements.shredReceipt(receipt.nodeId(),
                    receipt.epoch(), refs), receipt.signature());
            assertEquals(2, receipt.epoch(), "one rotation: epoch 1 to 2");
            assertEquals(List.of(), node.service.heldShares(), "no share of the version is left on " + node.nodeId);
            assertEquals(List.of(2L), node.token.epochs(), "the old epoch KEK is destroyed");
        }
        assertEquals(List.of("payments-key/1/1", "payments-key/1/2"),
                ShredReceiptMessage.decode(shreds.get("req-destroy/node-a")).destroyed());
    }
}
