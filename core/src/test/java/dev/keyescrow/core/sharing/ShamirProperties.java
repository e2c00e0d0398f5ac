package dev.keyescrow.core.sharing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.DuplicateShareIndexException;
import dev.keyescrow.core.error.InconsistentSharesException;
import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.error.MismatchedSharesException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.error.TooFewSharesException;
import dev.keyescrow.core.error.UnequalShareLengthException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ShamirProperties {
    record Case(int threshold, int shareCount, long seed) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.integers().between(2, 255).flatMap(n ->
                Combinators.combine(Arbitraries.integers().between(2, n), Arbitraries.longs())
                        .as((t, seed) -> new Case(t, n, seed)));
    }

    @Property(tries = 200)
    void anyThresholdSubsetInAnyOrderReconstructs(@ForAll("cases") Case c,
                                                  @ForAll @Size(min = 1, max = 100) byte[] secretBytes,
                                                  @ForAll @IntRange(min = 0, max = 3) int extra)
            throws SharingException {
        SecretBytes secret = SecretBytes.copyFrom(secretBytes);
        List<Share> shares = new ArrayList<>(new Shamir(new DeterministicRandom(c.seed())).split(secret,
                c.threshold(), c.shareCount()));
        Collections.shuffle(shares, new Random(c.seed()));
        int take = Math.min(c.shareCount(), c.threshold() + extra);
        try (SecretBytes combined = Shamir.combine(shares.subList(0, take))) {
            assertTrue(combined.equalsSecret(secret));
        }
        assertThrows(TooFewSharesException.class, () -> Shamir.combine(shares.subList(0, c.threshold() - 1)));
    }

    @Property(tries = 50)
    void fixedRandomnessReplaysTheSplit(@ForAll long seed, @ForAll @Size(min = 1, max = 64) byte[] secretBytes) {
        SecretBytes secret = SecretBytes.copyFrom(secretBytes);
        List<Share> a = new Shamir(new DeterministicRandom(seed)).split(secret, 3, 5);
        List<Share> b = new Shamir(new DeterministicRandom(seed)).split(secret, 3, 5);
        for (int i = 0; i < 5; i++) {
            assertEquals(a.get(i).splitId(), b.get(i).splitId());
            assertArrayEquals(a.get(i).value().toByteArray(SecretAccess.plaintext()),
                    b.get(i).value().toByteArray(SecretAccess.plaintext()));
        }
    }

    @Property(tries = 50)
    void aCorruptExtraShareIsNeverCombinedSilently(@ForAll long seed, @ForAll @IntRange(min = 0, max = 31) int at,
                                                   @ForAll @IntRange(min = 1, max = 255) int flip) throws Exception {
        SecretBytes secret = SecretBytes.copyFrom(new byte[32]);
        List<Share> shares = new Shamir(new DeterministicRandom(seed)).split(secret, 3, 5);
        byte[] bad = shares.get(3).value().toByteArray(SecretAccess.plaintext());
        bad[at] ^= (byte) flip;
        Share tampered = Share.of(shares.get(3).splitId(), shares.get(3).parameters(), 4, SecretBytes.copyFrom(bad));
        assertThrows(InconsistentSharesException.class,
                () -> Shamir.combine(List.of(shares.get(0), shares.get(1), shares.get(2), tampered)));
    }

    @Example
    void oneByteAnd64KiBSecretsRoundTrip() throws SharingException {
        Shamir shamir = new Shamir(new DeterministicRandom(3));
        for (int length : new int[] {1, 7, 8, 9, 65536}) {
            byte[] raw = new byte[length];
            new DeterministicRandom(length).nextBytes(raw);
            SecretBytes secret = SecretBytes.copyFrom(raw);
            List<Share> shares = shamir.split(secret, 2, 3);
            try (SecretBytes combined = Shamir.combine(List.of(shares.get(2), shares.get(0)))) {
                assertTrue(combined.equalsSecret(secret), "length " + length);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> shamir.split(SecretBytes.copyFrom(new byte[65537]), 2, 3));
        assertThrows(IllegalArgumentException.class, () -> shamir.split(SecretBytes.copyFrom(new byte[0]), 2, 3));
    }

    @Example
    void invalidParametersAreRefusedWithTheirValue() {
        Shamir shamir = new Shamir(new DeterministicRandom(4));
        SecretBytes secret = SecretBytes.copyFrom(new byte[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shamir.split(secret, 1, 3));
        assertTrue(e.getMessage().contains("threshold 1 is invalid"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shamir.split(secret, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> shamir.split(secret, 2, 256));
    }

    @Example
    void combineRefusesEachProblemWithItsOwnType() throws Exception {
        Shamir shamir = new Shamir(new DeterministicRandom(5));
        List<Share> a = shamir.split(SecretBytes.copyFrom(new byte[] {1, 2, 3}), 2, 3);
        List<Share> b = shamir.split(SecretBytes.copyFrom(new byte[] {1, 2, 3}), 2, 3);
        List<Share> longer = shamir.split(SecretBytes.copyFrom(new byte[] {1, 2, 3, 4}), 2, 3);
        List<Share> otherThreshold = shamir.split(SecretBytes.copyFrom(new byte[] {1, 2, 3}), 3, 3);

        assertThrows(TooFewSharesException.class, () -> Shamir.combine(List.of(a.get(0))));
        assertThrows(TooFewSharesException.class, () -> Shamir.combine(List.of()));
        assertThrows(DuplicateShareIndexException.class, () -> Shamir.combine(List.of(a.get(0), a.get(0))));
        MismatchedSharesException split = assertThrows(MismatchedSharesException.class,
                () -> Shamir.combine(List.of(a.get(0), b.get(1))));
        assertEquals("split id", split.field());

        Share sameIdLonger = Share.of(a.get(1).splitId(), longer.get(1).parameters(), 2, longer.get(1).value());
        assertThrows(UnequalShareLengthException.class, () -> Shamir.combine(List.of(a.get(0), sameIdLonger)));
        Share sameIdOtherThreshold = Share.of(a.get(1).splitId(), otherThreshold.get(1).parameters(), 2,
                otherThreshold.get(1).value());
        MismatchedSharesException threshold = assertThrows(MismatchedSharesException.class,
                () -> Shamir.combine(List.of(a.get(0), sameIdOtherThreshold)));
        assertEquals("threshold", threshold.field());
        assertThrows(InvalidShareIndexException.class,
                () -> Share.of(a.get(0).splitId(), a.get(0).parameters(), 0, a.get(0).value()));
        assertThrows(InvalidShareIndexException.class,
                () -> Share.of(a.get(0).splitId(), a.get(0).parameters(), 4, a.get(0).value()));
    }

    @Example
    void secretsAndSharesNeverPrintTheirValue() {
        byte[] raw = {0x5e, 0x5e, 0x5e};
        SecretBytes secret = SecretBytes.copyFrom(raw);
        Share share = new Shamir(new DeterministicRandom(6)).split(secret, 2, 2).get(0);
        assertEquals("SecretBytes[3 bytes, redacted]", secret.toString());
        assertTrue(share.toString().contains("value redacted"));
        assertTrue(!share.toString().toLowerCase().contains("5e5e5e"));
        share.destroy();
        assertTrue(share.value().isDestroyed());
        assertThrows(IllegalStateException.class, () -> share.value().toByteArray(SecretAccess.plaintext()));
    }
}
