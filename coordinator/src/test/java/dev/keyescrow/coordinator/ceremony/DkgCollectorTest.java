package dev.keyescrow.coordinator.ceremony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.frost.DkgContext;
import dev.keyescrow.core.frost.DkgParticipant;
import dev.keyescrow.core.frost.DkgResult;
import dev.keyescrow.core.frost.DkgRound1Package;
import dev.keyescrow.core.frost.DkgRound2Share;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgHolder;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgResultMessage;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's side of a DKG, from public messages only: it completes with the group key
 * and verification shares every participant derived, and names the node of a bad proof, of a
 * result the commitments contradict, or of a complaint's accused; a message not signed by the
 * participant's pinned node counts for nothing.
 */
class DkgCollectorTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<SoftwareP256Signer> nodes = List.of(SoftwareP256Signer.generate(RANDOM),
            SoftwareP256Signer.generate(RANDOM), SoftwareP256Signer.generate(RANDOM));
    private final DkgCallMessage call = call();

    private DkgCallMessage call() {
        List<DkgHolder> holders = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            holders.add(new DkgHolder(i, "node-" + i, nodes.get(i - 1).publicKey(),
                    SoftwareP256Signer.generate(RANDOM).publicKey()));
        }
        return new DkgCallMessage("dkg-test", "dkg-key", 1, 2, Instant.parse("2030-01-01T00:00:00Z"), holders,
                new byte[64]);
    }

    private DkgPackageMessage signed(int index, DkgRound1Package pkg, SoftwareP256Signer by) throws Exception {
        DkgPackageMessage unsigned = new DkgPackageMessage("dkg-test", "node-" + index, index, pkg.encode(),
                new byte[64]);
        return new DkgPackageMessage("dkg-test", "node-" + index, index, pkg.encode(), by.sign(unsigned.statement()));
    }

    private DkgResultMessage result(int index, byte[] verificationShare, byte[] transcript) throws Exception {
        ShareCommitment commitment = new ShareCommitment(index, new byte[32], "ab".repeat(32));
        DkgResultMessage unsigned = new DkgResultMessage("dkg-test", "node-" + index, index, verificationShare,
                transcript, commitment, new byte[] {1, 2, 3}, new byte[64]);
        return new DkgResultMessage("dkg-test", "node-" + index, index, verificationShare, transcript, commitment,
                new byte[] {1, 2, 3}, nodes.get(index - 1).sign(unsigned.statement()));
    }

    /** Runs the whole DKG among three in-memory participants; returns their results by index. */
    private Map<Integer, DkgResult> runDkg(List<DkgParticipant> participants) throws Exception {
        Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>();
        participants.forEach(p -> packages.put(p.id(), p.round1Package()));
        List<DkgRound2Share> all = new ArrayList<>();
        for (DkgParticipant p : participants) {
            all.addAll(p.round2Shares(packages));
        }
        Map<Integer, DkgResult> results = new TreeMap<>();
        for (DkgParticipant p : participants) {
            results.put(p.id().value(), p.finish(packages, all.stream().filter(s -> s.recipient().equals(p.id()))
                    .toList()));
        }
        return results;
    }

    private List<DkgParticipant> participants(DkgContext context) {
        List<DkgParticipant> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            out.add(DkgParticipant.start(ParticipantId.of(i), context, RANDOM));
        }
        return out;
    }

    @Test
    void completesWithTheKeysEveryParticipantDerived() throws Exception {
        DkgCollector collector = new DkgCollector(call);
        List<DkgParticipant> participants = participants(call.context());
        for (DkgParticipant p : participants) {
            collector.onPackage(signed(p.id().value(), p.round1Package(), nodes.get(p.id().value() - 1)));
        }
        Map<Integer, DkgResult> results = runDkg(participants);
        for (var e : results.entrySet()) {
            collector.onResult(result(e.getKey(), e.getValue().keyShare().verificationShare().toBytes(),
                    e.getValue().transcriptDigest()));
        }
        FrostPublicKeys keys = collector.completion().get();
        DkgResult first = results.get(1);
        assertArrayEquals(first.publicKeyPackage().groupPublicKey().toBytes(), keys.groupPublicKey());
        assertArrayEquals(first.transcriptDigest(), keys.dkgTranscript());
        assertTrue(keys.isConsistentFor(2));
        results.values().forEach(DkgResult::close);
    }

    @Test
    void aProofOfKnowledgeForAnotherCeremony_namesItsNode() throws Exception {
        DkgCollector collector = new DkgCollector(call);
        DkgParticipant replayed = DkgParticipant.start(ParticipantId.of(2),
                new DkgContext("dkg-key", 1, 2, 3, "dkg-other"), RANDOM);
        collector.onPackage(signed(2, replayed.round1Package(), nodes.get(1)));
        String named = abortion(collector);
        assertTrue(named.startsWith("node-2 (participant 2) published a proof of knowledge that does not verify"),
                named);
    }

    @Test
    void aComplaint_namesTheAccusedNode() throws Exception {
        DkgCollector collector = new DkgCollector(call);
        DkgComplaintMessage unsigned = new DkgComplaintMessage("dkg-test", "node-1", 1, 3, Reason.SHARE_MISMATCH,
                new byte[64]);
        collector.onComplaint(new DkgComplaintMessage("dkg-test", "node-1", 1, 3, Reason.SHARE_MISMATCH,
                nodes.get(0).sign(unsigned.statement())));
        String named = abortion(collector);
        assertTrue(named.startsWith("node-3 (participant 3) was named by node-1 (participant 1): SHARE_MISMATCH"),
                named);
    }

    @Test
    void aResultTheCommitmentsContradict_namesItsNode() throws Exception {
        DkgCollector collector = new DkgCollector(call);
        List<DkgParticipant> participants = participants(call.context());
        for (DkgParticipant p : participants) {
            collector.onPackage(signed(p.id().value(), p.round1Package(), nodes.get(p.id().value() - 1)));
        }
        Map<Integer, DkgResult> results = runDkg(participants);
        for (var e : results.entrySet()) {
            // node-3 reports participant 1's verification share as its own
            int from = e.getKey() == 3 ? 1 : e.getKey();
            collector.onResult(result(e.getKey(), results.get(from).keyShare().verificationShare().toBytes(),
                    e.getValue().transcriptDigest()));
        }
        assertTrue(abortion(collector).startsWith("node-3 (participant 3) reported a verification share"));
        results.values().forEach(DkgResult::close);
    }

    @Test
    void aMessageNotSignedByThePinnedNode_countsForNothing() throws Exception {
        DkgCollector collector = new DkgCollector(call);
        DkgParticipant p = DkgParticipant.start(ParticipantId.of(1), call.context(), RANDOM);
        SoftwareP256Signer rogue = SoftwareP256Signer.generate(RANDOM);
        assertThrows(SignatureException.class, () -> collector.onPackage(signed(1, p.round1Package(), rogue)));
        DkgComplaintMessage unsigned = new DkgComplaintMessage("dkg-test", "node-1", 1, 2, Reason.INVALID_PROOF,
                new byte[64]);
        assertThrows(SignatureException.class, () -> collector.onComplaint(new DkgComplaintMessage("dkg-test",
                "node-1", 1, 2, Reason.INVALID_PROOF, rogue.sign(unsigned.statement()))));
        assertFalse(collector.completion().isDone(), "a rogue member neither aborts nor advances the ceremony");
    }

    private static String abortion(DkgCollector collector) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> collector.completion().get());
        assertInstanceOf(DkgCollector.Aborted.class, e.getCause());
        return e.getCause().getMessage();
    }
}
