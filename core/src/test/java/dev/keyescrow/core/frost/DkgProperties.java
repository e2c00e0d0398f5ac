package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** For random (t, n <= 6), a DKG yields one consistent key that a random t-subset signs with. */
class DkgProperties {
    @Property(tries = 10)
    void everyDkgAgreesAndSigns(@ForAll @IntRange(min = 2, max = 6) int n, @ForAll @IntRange(min = 2, max = 6) int t,
                                @ForAll long seed, @ForAll byte[] message) throws Exception {
        int threshold = Math.min(t, n);
        DeterministicRandom random = new DeterministicRandom(seed);
        DkgContext context = new DkgContext("prop-key", 1, threshold, n, "r-" + Long.toHexString(seed));
        List<DkgParticipant> all = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            all.add(DkgParticipant.start(ParticipantId.of(i), context, random));
        }
        Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>();
        all.forEach(p -> packages.put(p.id(), p.round1Package()));
        Map<ParticipantId, List<DkgRound2Share>> inbox = new TreeMap<>();
        all.forEach(p -> inbox.put(p.id(), new ArrayList<>()));
        for (DkgParticipant p : all) {
            for (DkgRound2Share share : p.round2Shares(packages)) {
                inbox.get(share.recipient()).add(share);
            }
        }
        List<DkgResult> results = new ArrayList<>();
        for (DkgParticipant p : all) {
            results.add(p.finish(packages, inbox.get(p.id())));
        }
        PublicKeyPackage keys = results.get(0).publicKeyPackage();
        assertTrue(keys.isConsistent());
        for (DkgResult r : results) {
            assertEquals(keys, r.publicKeyPackage());
            assertArrayEquals(results.get(0).transcriptDigest(), r.transcriptDigest());
        }
        List<Integer> ids = new ArrayList<>(IntStream.rangeClosed(1, n).boxed().toList());
        Collections.shuffle(ids, random);
        List<KeyShare> shares = results.stream().map(DkgResult::keyShare).toList();
        byte[] signature = FrostTestKit.sign(keys, FrostTestKit.pick(shares, ids.subList(0, threshold)), message, random);
        FrostTestKit.assertStandardVerifiers(keys.groupPublicKey().toBytes(), message, signature);
        results.forEach(DkgResult::close);
    }
}
