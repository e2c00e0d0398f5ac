package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.frost.CommitmentList;
import dev.keyescrow.core.frost.FrostAggregator;
import dev.keyescrow.core.frost.GroupElement;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.SignatureShare;
import dev.keyescrow.core.frost.SigningCommitment;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.approval.NodeRefusedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGN on two real nodes (real Hazelcast, real journals and tokens) driven by a coordinator
 * that this test plays, honest or not: t-1 approvals draw no commitment; t approvals make each
 * holder commit (journaled first); round two over t holders gives shares that aggregate into a
 * signature any Ed25519 verifier accepts; a second call for the same attempt never makes a
 * holder sign again; a node restarted between the rounds publishes the same commitment again,
 * never a second one, and refuses to sign with the nonces it lost.
 */
class FrostSignNodeTest {
    private static final List<String> CUSTODIANS = List.of("custodian-1", "custodian-2", "custodian-3");

    @TempDir
    Path state;

    @Test
    void twoRoundsOnRealNodes_andNoNonceEverSignsTwice() throws Exception {
        MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        try (RogueCoordinator rogue = new RogueCoordinator(state, clock, refusals)) {
            Manifest manifest = rogue.frostKey("signing-key", CUSTODIANS);
            byte[] message = "tag v4.2".getBytes(StandardCharsets.UTF_8);
            CanonicalRequest sign = rogue.request("req-sign-1", manifest, Operation.SIGN,
                    new RequestParams.Sign(List.of(message)), clock.instant());
            IMap<String, byte[]> commitments = rogue.member.getMap(ClusterMaps.FROST_COMMITMENTS);
            IMap<String, byte[]> shares = rogue.member.getMap(ClusterMaps.FROST_SHARES);

            approve(rogue, sign, manifest, 1);
            Thread.sleep(1500);
            assertTrue(commitments.keySet().stream().noneMatch(k -> k.startsWith("req-sign-1/")),
                    "t-1 approvals drew commitments: " + commitments.keySet());
            assertThrows(NodeRefusedException.class, () -> rogue.nodeA.vault.frost().commit("req-sign-1", 1, 1),
                    "no nonce before t approvals");

            approve(rogue, sign, manifest, 3);
            RogueCoordinator.await("every holder committed", () -> commitments.keySet().stream()
                    .filter(k -> k.startsWith("req-sign-1/1/")).count() == 3);
            FrostCommitmentMessage c1 = FrostCommitmentMessage.decode(commitments.get("req-sign-1/1/1"));
            FrostCommitmentMessage c3 = FrostCommitmentMessage.decode(commitments.get("req-sign-1/1/3"));
            assertEquals(c1.encode().length, rogue.nodeA.service.frostCommitment("req-sign-1", 1, 1).orElseThrow()
                    .encode().length, "journaled as published");

            FrostCallMessage call = call(rogue, sign, 1, List.of(c1, c3));
            rogue.member.<String, byte[]>getMap(ClusterMaps.FROST_CALLS).set(call.key(), call.encode());
            RogueCoordinator.await("both signers answered", () -> shares.containsKey("req-sign-1/1/1")
                    && shares.containsKey("req-sign-1/1/3"));
            FrostShareMessage z1 = FrostShareMessage.decode(shares.get("req-sign-1/1/1"));
            FrostShareMessage z3 = FrostShareMessage.decode(shares.get("req-sign-1/1/3"));
            byte[] signature = new FrostAggregator(manifest.frost().toPackage(2)).aggregate(list(call), message,
                    List.of(new SignatureShare(ParticipantId.of(1), z1.shares().get(0)),
                            new SignatureShare(ParticipantId.of(3), z3.shares().get(0))));
            assertTrue(Ed25519.verify(signature, 0, manifest.frost().groupPublicKey(), 0, message, 0, message.length));

            // the same attempt called again over another set: share 1 answers what it signed, never signs again
            FrostCommitmentMessage c2 = FrostCommitmentMessage.decode(commitments.get("req-sign-1/1/2"));
            List<FrostShareMessage> again = rogue.nodeA.vault.frost().sign(call(rogue, sign, 1, List.of(c1, c2)));
            FrostShareMessage z1again = again.stream().filter(m -> m.index() == 1).findFirst().orElseThrow();
            assertArrayEquals(z1.encode(), z1again.encode(), "share 1 signed once, over the first list");

            // a restart between the rounds: the nonces are gone, the commitment is never made twice
            CanonicalRequest second = rogue.request("req-sign-2", manifest, Operation.SIGN,
                    new RequestParams.Sign(List.of(message)), clock.instant());
            approve(rogue, second, manifest, 1);
            approve(rogue, second, manifest, 3);
            RogueCoordinator.await("every holder committed to req-sign-2", () -> commitments.keySet().stream()
                    .filter(k -> k.startsWith("req-sign-2/1/")).count() == 3);
            byte[] before = commitments.get("req-sign-2/1/3");
            rogue.restartNodeB();
            assertArrayEquals(before, rogue.nodeB.vault.frost().commit("req-sign-2", 1, 3).encode(),
                    "after a restart the journaled commitment, not a new one");
            FrostCallMessage afterCrash = call(rogue, sign("req-sign-2", second), 1, List.of(
                    FrostCommitmentMessage.decode(commitments.get("req-sign-2/1/1")),
                    FrostCommitmentMessage.decode(before)));
            NodeRefusedException refused = assertThrows(NodeRefusedException.class,
                    () -> rogue.nodeB.vault.frost().sign(afterCrash));
            assertTrue(refused.getMessage().contains("are gone"), refused.getMessage());
            rogue.member.<String, byte[]>getMap(ClusterMaps.FROST_CALLS).set(afterCrash.key(), afterCrash.encode());
            RogueCoordinator.await("share 1 answered", () -> shares.containsKey("req-sign-2/1/1"));
            Thread.sleep(1000);
            assertTrue(!shares.containsKey("req-sign-2/1/3"), "node-b signed with nonces it had lost");
            assertArrayEquals(before, commitments.get("req-sign-2/1/3"), "no second commitment was published");

            // a new attempt the coordinator calls for: node-b commits afresh and signs
            FrostCallMessage retry = call(rogue, second, 2, List.of());
            rogue.member.<String, byte[]>getMap(ClusterMaps.FROST_CALLS).set(retry.key(), retry.encode());
            RogueCoordinator.await("attempt 2 commitments", () -> commitments.containsKey("req-sign-2/2/1")
                    && commitments.containsKey("req-sign-2/2/3"));
            FrostCallMessage round2 = call(rogue, second, 2, List.of(
                    FrostCommitmentMessage.decode(commitments.get("req-sign-2/2/1")),
                    FrostCommitmentMessage.decode(commitments.get("req-sign-2/2/3"))));
            rogue.member.<String, byte[]>getMap(ClusterMaps.FROST_CALLS).set(round2.key(), round2.encode());
            RogueCoordinator.await("attempt 2 signed", () -> shares.containsKey("req-sign-2/2/1")
                    && shares.containsKey("req-sign-2/2/3"));
            byte[] retried = new FrostAggregator(manifest.frost().toPackage(2)).aggregate(list(round2), message,
                    List.of(new SignatureShare(ParticipantId.of(1), FrostShareMessage.decode(
                                    shares.get("req-sign-2/2/1")).shares().get(0)),
                            new SignatureShare(ParticipantId.of(3), FrostShareMessage.decode(
                                    shares.get("req-sign-2/2/3")).shares().get(0))));
            assertTrue(Ed25519.verify(retried, 0, manifest.frost().groupPublicKey(), 0, message, 0, message.length));

            // what a coordinator receives (every map of the cluster): no share and not the key, in any encoding
            List<String> seen = new ArrayList<>();
            for (String map : List.of(ClusterMaps.REQUESTS, ClusterMaps.ANSWERS, ClusterMaps.RELEASES,
                    ClusterMaps.FROST_COMMITMENTS, ClusterMaps.FROST_CALLS, ClusterMaps.FROST_SHARES,
                    ClusterMaps.HEADS)) {
                rogue.member.<String, byte[]>getMap(map).values().forEach(v -> seen.add(
                        new String(v, StandardCharsets.ISO_8859_1)));
            }
            assertTrue(rogue.member.<String, byte[]>getMap(ClusterMaps.RELEASES).keySet().stream()
                    .noneMatch(k -> k.startsWith("req-sign")), "a share of the FROST key was released");
            for (byte[] secret : rogue.dealtSecrets) {
                for (String form : List.of(new String(secret, StandardCharsets.ISO_8859_1),
                        java.util.HexFormat.of().formatHex(secret), java.util.Base64.getEncoder().encodeToString(secret))) {
                    assertTrue(seen.stream().noneMatch(v -> v.contains(form)), "a dealt secret is on the cluster");
                }
            }
        }
    }

    private static CanonicalRequest sign(String id, CanonicalRequest request) {
        assertEquals(id, request.requestId());
        return request;
    }

    private static void approve(RogueCoordinator rogue, CanonicalRequest request, Manifest manifest, int index)
            throws Exception {
        Holder h = manifest.holders().get(index - 1);
        NodeHarness node = rogue.node(h.nodeId());
        Approval approval = Approval.sign(request, h.custodianId(), Decision.APPROVE, rogue.custodian(h.custodianId()));
        node.service.answer(approval);
        node.bridge.publish(new AnswerMessage(node.nodeId, approval));
    }

    private static FrostCallMessage call(RogueCoordinator rogue, CanonicalRequest request, int attempt,
            List<FrostCommitmentMessage> signers) throws Exception {
        FrostCallMessage unsigned = new FrostCallMessage(request.requestId(), request.digest(), attempt, signers,
                new byte[0]);
        return new FrostCallMessage(request.requestId(), request.digest(), attempt, signers,
                CoordinatorStatement.sign(rogue.signer, CoordinatorStatement.Kind.FROST_ROUND, unsigned.bodyDigest()));
    }

    private static CommitmentList list(FrostCallMessage call) {
        List<SigningCommitment> list = new ArrayList<>();
        for (FrostCommitmentMessage c : call.signers()) {
            byte[] both = c.commitments().get(0);
            list.add(new SigningCommitment(ParticipantId.of(c.index()),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 0, 32)),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 32, 64))));
        }
        return new CommitmentList(list);
    }
}
