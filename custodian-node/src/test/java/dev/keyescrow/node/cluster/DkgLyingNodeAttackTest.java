package dev.keyescrow.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.frost.DkgContext;
import dev.keyescrow.core.frost.DkgParticipant;
import dev.keyescrow.core.frost.DkgRound1Package;
import dev.keyescrow.core.frost.DkgRound2Share;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgHolder;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgShareMessage;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack test 20 (threat model): a lying holder node in a distributed key generation. Two real
 * nodes (node-a: participant 1, node-b: participant 2) run a 2-of-3 DKG called by the pinned
 * coordinator (played here); participant 3 is a node whose operator lies, holding its real
 * identity key. It sends participant 1 a round-two share that is not its polynomial's value
 * there, correctly encrypted and signed: node-a must publish a signed complaint naming
 * participant 3 (SHARE_MISMATCH), every node must drop the ceremony, and no share of the key is
 * stored anywhere. In a second ceremony the liar publishes a proof of knowledge made for
 * another ceremony: both nodes name it (INVALID_PROOF) before sending any round-two share.
 */
class DkgLyingNodeAttackTest {
    @TempDir
    Path state;

    @Test
    void aLyingParticipantIsNamed_andTheCeremonyIsDroppedEverywhere() throws Exception {
        MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
        ConcurrentLinkedQueue<String> refusals = new ConcurrentLinkedQueue<>();
        try (RogueCoordinator rogue = new RogueCoordinator(state, clock, refusals)) {
            SoftwareP256Signer liar = SoftwareP256Signer.generate(rogue.random);
            IMap<String, byte[]> complaints = rogue.member.getMap(ClusterMaps.DKG_COMPLAINTS);

            DkgCallMessage call = call(rogue, clock, liar, "dkg-lie-1");
            DkgParticipant lying = DkgParticipant.start(ParticipantId.of(3), call.context(), rogue.random);
            publishPackage(rogue, liar, call, lying.round1Package());
            rogue.member.getMap(ClusterMaps.DKG_CALLS).set(call.key(), call.encode());
            Map<ParticipantId, DkgRound1Package> packages = awaitPackages(rogue, call);
            List<DkgRound2Share> shares = lying.round2Shares(packages);
            DkgRound2Share toOne = shares.get(0);
            DkgRound2Share toTwo = shares.get(1);
            // participant 1 gets f_3(2), a valid scalar that is not f_3(1); participant 2 gets the truth
            sendShare(rogue, liar, call, 1, rogue.nodeA, toTwo);
            sendShare(rogue, liar, call, 2, rogue.nodeB, toTwo);

            RogueCoordinator.await("node-a's complaint", () -> complaints.containsKey("dkg-lie-1/1"));
            DkgComplaintMessage complaint = DkgComplaintMessage.decode(complaints.get("dkg-lie-1/1"));
            complaint.verify(call.holder(1));
            assertEquals("node-a", complaint.nodeId());
            assertEquals(3, complaint.accused(), "the liar is named");
            assertEquals(Reason.SHARE_MISMATCH, complaint.reason());
            RogueCoordinator.await("both nodes dropped the ceremony", () -> rogue.nodeA.vault.dkg().running() == 0
                    && rogue.nodeB.vault.dkg().running() == 0);
            assertFalse(rogue.member.getMap(ClusterMaps.DKG_RESULTS).containsKey("dkg-lie-1/1"),
                    "node-a finished nothing");
            assertTrue(rogue.nodeA.service.heldShares().isEmpty() && rogue.nodeB.service.heldShares().isEmpty(),
                    "no share of the key is stored on any node");
            shares.forEach(DkgRound2Share::close);
            toOne.close();

            DkgCallMessage second = call(rogue, clock, liar, "dkg-lie-2");
            DkgParticipant replayed = DkgParticipant.start(ParticipantId.of(3),
                    new DkgContext("dkg-key", 1, 2, 3, "dkg-lie-1"), rogue.random);
            publishPackage(rogue, liar, second, replayed.round1Package());
            rogue.member.getMap(ClusterMaps.DKG_CALLS).set(second.key(), second.encode());
            RogueCoordinator.await("both nodes' complaints", () -> complaints.containsKey("dkg-lie-2/1")
                    && complaints.containsKey("dkg-lie-2/2"));
            for (int i = 1; i <= 2; i++) {
                DkgComplaintMessage c = DkgComplaintMessage.decode(complaints.get("dkg-lie-2/" + i));
                c.verify(second.holder(i));
                assertEquals(3, c.accused());
                assertEquals(Reason.INVALID_PROOF, c.reason());
            }
            assertTrue(rogue.member.getMap(ClusterMaps.DKG_SHARES).keySet().stream()
                    .noneMatch(k -> k.toString().startsWith("dkg-lie-2/")), "no round-two share was sent");
            replayed.close();
            lying.close();
        }
    }

    private static DkgCallMessage call(RogueCoordinator rogue, MutableClock clock, SoftwareP256Signer liar,
            String ceremonyId) throws Exception {
        List<DkgHolder> holders = List.of(
                new DkgHolder(1, "node-a", rogue.nodeA.token.identity().publicKey(),
                        rogue.nodeA.token.transportPublicKey()),
                new DkgHolder(2, "node-b", rogue.nodeB.token.identity().publicKey(),
                        rogue.nodeB.token.transportPublicKey()),
                new DkgHolder(3, "node-liar", liar.publicKey(), SoftwareP256Signer.generate(rogue.random).publicKey()));
        DkgCallMessage unsigned = new DkgCallMessage(ceremonyId, "dkg-key", 1, 2, clock.instant().plusSeconds(600),
                holders, new byte[64]);
        return new DkgCallMessage(ceremonyId, "dkg-key", 1, 2, unsigned.deadline(), holders,
                CoordinatorStatement.sign(rogue.signer, Kind.DKG_CALL, unsigned.digest()));
    }

    private static void publishPackage(RogueCoordinator rogue, SoftwareP256Signer liar, DkgCallMessage call,
            DkgRound1Package pkg) throws Exception {
        DkgPackageMessage unsigned = new DkgPackageMessage(call.ceremonyId(), "node-liar", 3, pkg.encode(),
                new byte[64]);
        DkgPackageMessage signed = new DkgPackageMessage(call.ceremonyId(), "node-liar", 3, pkg.encode(),
                liar.sign(unsigned.statement()));
        rogue.member.getMap(ClusterMaps.DKG_PACKAGES).set(signed.key(), signed.encode());
    }

    private static Map<ParticipantId, DkgRound1Package> awaitPackages(RogueCoordinator rogue, DkgCallMessage call)
            throws Exception {
        IMap<String, byte[]> map = rogue.member.getMap(ClusterMaps.DKG_PACKAGES);
        RogueCoordinator.await("the honest nodes' packages", () -> map.containsKey(call.ceremonyId() + "/1")
                && map.containsKey(call.ceremonyId() + "/2"));
        Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>();
        for (int i = 1; i <= 2; i++) {
            DkgPackageMessage m = DkgPackageMessage.decode(map.get(call.ceremonyId() + "/" + i));
            m.verify(call.holder(i));
            packages.put(ParticipantId.of(i), DkgRound1Package.decode(m.pkg()));
        }
        return packages;
    }

    /** Encrypts {@code value}'s scalar to {@code recipient}'s node as participant 3's share for it, signed by the liar. */
    private static void sendShare(RogueCoordinator rogue, SoftwareP256Signer liar, DkgCallMessage call,
            int recipient, NodeHarness node, DkgRound2Share value) throws Exception {
        byte[] envelope;
        try (SecretBytes scalar = SecretBytes.moveFrom(value.value().toByteArray(SecretAccess.plaintext()))) {
            envelope = ShareSender.wrapForDkgShare(node.token.transportPublicKey(), call.ceremonyId(), 3,
                    new ShareRef("dkg-key", 1, recipient, 32), scalar, rogue.random);
        }
        DkgShareMessage unsigned = new DkgShareMessage(call.ceremonyId(), "node-liar", 3, recipient, envelope,
                new byte[64]);
        DkgShareMessage signed = new DkgShareMessage(call.ceremonyId(), "node-liar", 3, recipient, envelope,
                liar.sign(unsigned.statement()));
        rogue.member.getMap(ClusterMaps.DKG_SHARES).set(signed.key(), signed.encode());
    }
}
