package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The DKG end to end in memory: honest runs agree and sign; a cheater is named. */
class DkgTest {
    private static final byte[] CONTEXT = "key k-1 version 1 request r-7".getBytes(StandardCharsets.UTF_8);
    private final DeterministicRandom random = new DeterministicRandom(1616);

    private List<DkgParticipant> start(int t, int n, byte[] context) {
        List<DkgParticipant> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(DkgParticipant.start(ParticipantId.of(i), t, n, context, random));
        }
        return all;
    }

    private static Map<ParticipantId, DkgRound1Package> round1(List<DkgParticipant> all) {
        Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>();
        all.forEach(p -> packages.put(p.id(), DkgRound1Package.decode(p.round1Package().encode())));
        return packages;
    }

    /** Round two for everyone, delivered: inbox.get(j) holds what j received. */
    private static Map<ParticipantId, List<DkgRound2Share>> round2(List<DkgParticipant> all,
            Map<ParticipantId, DkgRound1Package> packages) throws DkgComplaintException {
        Map<ParticipantId, List<DkgRound2Share>> inbox = new TreeMap<>();
        all.forEach(p -> inbox.put(p.id(), new ArrayList<>()));
        for (DkgParticipant p : all) {
            for (DkgRound2Share share : p.round2Shares(packages)) {
                byte[] wire = share.encode(SecretAccess.plaintext());
                inbox.get(share.recipient()).add(DkgRound2Share.decode(wire));
                share.close();
            }
        }
        return inbox;
    }

    @Test
    void fiveParticipantsAgreeAndAnyThreeSign() throws Exception {
        List<DkgParticipant> all = start(3, 5, CONTEXT);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        Map<ParticipantId, List<DkgRound2Share>> inbox = round2(all, packages);
        List<DkgResult> results = new ArrayList<>();
        for (DkgParticipant p : all) {
            results.add(p.finish(packages, inbox.get(p.id())));
        }
        PublicKeyPackage keys = results.get(0).publicKeyPackage();
        for (DkgResult r : results) {
            assertEquals(keys, r.publicKeyPackage());
            assertArrayEquals(results.get(0).transcriptDigest(), r.transcriptDigest());
            assertEquals(keys.verificationShareOf(r.keyShare().id()), r.keyShare().verificationShare());
        }
        List<KeyShare> shares = results.stream().map(DkgResult::keyShare).toList();
        byte[] message = "signed by a key that never existed whole".getBytes(StandardCharsets.UTF_8);
        for (List<Integer> signers : List.of(List.of(1, 2, 3), List.of(2, 4, 5), List.of(1, 3, 5), List.of(1, 2, 3, 4, 5))) {
            byte[] signature = FrostTestKit.sign(keys, FrostTestKit.pick(shares, signers), message, random);
            FrostTestKit.assertStandardVerifiers(keys.groupPublicKey().toBytes(), message, signature);
        }
        results.forEach(DkgResult::close);
    }

    @Test
    void aWrongRoundTwoShareNamesItsSender() throws Exception {
        List<DkgParticipant> all = start(2, 4, CONTEXT);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        Map<ParticipantId, List<DkgRound2Share>> inbox = round2(all, packages);
        List<DkgRound2Share> toTwo = inbox.get(ParticipantId.of(2));
        int index = toTwo.stream().map(DkgRound2Share::sender).toList().indexOf(ParticipantId.of(3));
        toTwo.set(index, new DkgRound2Share(ParticipantId.of(3), ParticipantId.of(2), Polynomial.randomScalar(random)));
        DkgComplaintException e = assertThrows(DkgComplaintException.class,
                () -> all.get(1).finish(packages, toTwo));
        assertEquals(ParticipantId.of(3), e.accused());
        assertEquals(Reason.SHARE_MISMATCH, e.reason());
        all.get(3).finish(packages, inbox.get(ParticipantId.of(4))).close();
    }

    /** Participant 4 publishes 1's commitment and proof as its own (a rogue-key attempt): the proof binds the id. */
    @Test
    void aCopiedProofNamesTheCopier() {
        List<DkgParticipant> all = start(3, 4, CONTEXT);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        DkgRound1Package victim = packages.get(ParticipantId.of(1));
        packages.put(ParticipantId.of(4), new DkgRound1Package(ParticipantId.of(4), victim.commitment(), victim.proof()));
        DkgComplaintException e = assertThrows(DkgComplaintException.class, () -> all.get(1).round2Shares(packages));
        assertEquals(ParticipantId.of(4), e.accused());
        assertEquals(Reason.INVALID_PROOF, e.reason());
    }

    /** A package made for another ceremony is refused in this one. */
    @Test
    void aProofFromAnotherCeremonyIsRefused() {
        List<DkgParticipant> all = start(2, 3, CONTEXT);
        DkgParticipant elsewhere = DkgParticipant.start(ParticipantId.of(2), 2, 3,
                "key k-2 version 1 request r-8".getBytes(StandardCharsets.UTF_8), random);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        packages.put(ParticipantId.of(2), elsewhere.round1Package());
        DkgComplaintException e = assertThrows(DkgComplaintException.class, () -> all.get(0).round2Shares(packages));
        assertEquals(ParticipantId.of(2), e.accused());
        assertEquals(Reason.INVALID_PROOF, e.reason());
    }

    @Test
    void aMissingOrWrongThresholdPackageIsNamed() {
        List<DkgParticipant> all = start(2, 3, CONTEXT);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        packages.remove(ParticipantId.of(3));
        DkgComplaintException missing = assertThrows(DkgComplaintException.class, () -> all.get(0).round2Shares(packages));
        assertEquals(ParticipantId.of(3), missing.accused());
        assertEquals(Reason.MISSING_OR_DUPLICATE, missing.reason());
        packages.put(ParticipantId.of(3), DkgParticipant.start(ParticipantId.of(3), 3, 3, CONTEXT, random).round1Package());
        DkgComplaintException wrongT = assertThrows(DkgComplaintException.class, () -> all.get(0).round2Shares(packages));
        assertEquals(ParticipantId.of(3), wrongT.accused());
        assertEquals(Reason.MALFORMED_PACKAGE, wrongT.reason());
    }

    @Test
    void aMissingRoundTwoShareIsNamed() throws Exception {
        List<DkgParticipant> all = start(2, 3, CONTEXT);
        Map<ParticipantId, DkgRound1Package> packages = round1(all);
        List<DkgRound2Share> toOne = round2(all, packages).get(ParticipantId.of(1));
        toOne.removeIf(s -> s.sender().equals(ParticipantId.of(2)));
        DkgComplaintException e = assertThrows(DkgComplaintException.class, () -> all.get(0).finish(packages, toOne));
        assertEquals(ParticipantId.of(2), e.accused());
    }

    @Test
    void theContextBindsKeyVersionParametersAndRequest() {
        DkgContext context = new DkgContext("payments-signing", 1, 3, 5, "r-42");
        assertArrayEquals("keyescrow/v1/frost-dkg\0payments-signing\0\0\0\0\1\3\5r-42"
                .getBytes(StandardCharsets.US_ASCII), context.toBytes());
        DkgParticipant p = DkgParticipant.start(ParticipantId.of(1), context, random);
        assertEquals(3, p.round1Package().commitment().threshold());
        assertThrows(IllegalArgumentException.class, () -> new DkgContext("Bad/Id", 1, 3, 5, "r-42"));
        assertThrows(IllegalArgumentException.class, () -> new DkgContext("k", 1, 1, 5, "r-42"));
    }

    @Test
    void encodingsRoundTripAndRefuseMalformedBytes() {
        DkgRound1Package p = DkgParticipant.start(ParticipantId.of(2), 3, 5, CONTEXT, random).round1Package();
        byte[] encoded = p.encode();
        assertEquals(3 + 32 * 3 + 64, encoded.length);
        assertEquals(p, DkgRound1Package.decode(encoded));
        byte[] badVersion = encoded.clone();
        badVersion[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> DkgRound1Package.decode(badVersion));
        assertThrows(IllegalArgumentException.class,
                () -> DkgRound1Package.decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)));
        byte[] identity = encoded.clone();
        identity[3] = 1;
        java.util.Arrays.fill(identity, 4, 35, (byte) 0);
        assertThrows(IllegalArgumentException.class, () -> DkgRound1Package.decode(identity));
        byte[] wrongRecipientSize = new byte[DkgRound2Share.ENCODED_SIZE + 1];
        assertThrows(IllegalArgumentException.class, () -> DkgRound2Share.decode(wrongRecipientSize));
    }
}
