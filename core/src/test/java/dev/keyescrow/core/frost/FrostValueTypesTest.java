package dev.keyescrow.core.frost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.InvalidEncodingException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Constructors refuse what RFC 9591 refuses; secrets never print. */
class FrostValueTypesTest {
    private static final HexFormat HEX = HexFormat.of();
    /** L, little-endian: the smallest non-canonical scalar. */
    private static final String ORDER = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010";
    private final DeterministicRandom random = new DeterministicRandom(9591);

    @Test
    void participantIdentifiersAreOneTo255() {
        assertThrows(IllegalArgumentException.class, () -> ParticipantId.of(0));
        assertThrows(IllegalArgumentException.class, () -> ParticipantId.of(256));
        assertEquals(255, ParticipantId.of(255).toScalarBytes()[0] & 0xff);
    }

    @Test
    void elementsRefuseIdentityTorsionAndNonCanonicalEncodings() {
        byte[] identity = new byte[32];
        identity[0] = 1;
        assertThrows(IllegalArgumentException.class, () -> GroupElement.fromBytes(identity));
        // A point of order 8 (small-order, outside the prime-order subgroup).
        byte[] order8 = HEX.parseHex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
        assertThrows(IllegalArgumentException.class, () -> GroupElement.fromBytes(order8));
        // The base point plus the point of order 2 (0, -1): on the curve, not in the subgroup.
        byte[] base = HEX.parseHex("5866666666666666666666666666666666666666666666666666666666666666");
        byte[] order2 = HEX.parseHex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        byte[] torsioned = decompress(base).add(decompress(order2)).compress().toByteArray();
        assertThrows(IllegalArgumentException.class, () -> GroupElement.fromBytes(torsioned));
        assertEquals(HEX.formatHex(base), GroupElement.fromBytes(base).toString());
        // Every y = p + k (k < 19) with either sign bit: non-canonical encodings, all refused.
        for (int k = 0; k < 19; k++) {
            for (int sign = 0; sign < 2; sign++) {
                byte[] nonCanonical = new byte[32];
                java.util.Arrays.fill(nonCanonical, (byte) 0xff);
                nonCanonical[0] = (byte) (0xed + k);
                nonCanonical[31] = (byte) (0x7f | sign << 7);
                assertThrows(IllegalArgumentException.class, () -> GroupElement.fromBytes(nonCanonical));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> GroupElement.fromBytes(new byte[31]));
    }

    private static EdwardsPoint decompress(byte[] encoded) {
        try {
            return new CompressedEdwardsY(encoded).decompress();
        } catch (InvalidEncodingException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void scalarsMustBeBelowTheOrder() {
        assertThrows(IllegalArgumentException.class,
                () -> new SignatureShare(ParticipantId.of(1), HEX.parseHex(ORDER)));
        byte[] secret = HEX.parseHex(ORDER);
        assertThrows(IllegalArgumentException.class, () -> SecretScalar.moveFrom(secret));
        assertEquals(HEX.formatHex(new byte[32]), HEX.formatHex(secret), "refused input is zeroed too");
    }

    @Test
    void commitmentListsAreSortedWithoutRepeats() {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 2, 3, random)) {
            SigningCommitment one = SigningNonces.generate(split.shares().get(0), random).commitment();
            SigningCommitment three = SigningNonces.generate(split.shares().get(2), random).commitment();
            assertThrows(IllegalArgumentException.class, () -> new CommitmentList(List.of(three, one)));
            assertThrows(IllegalArgumentException.class, () -> new CommitmentList(List.of(one, one)));
            assertThrows(IllegalArgumentException.class, () -> CommitmentList.sorted(List.of(three, one, three)));
            assertThrows(IllegalArgumentException.class, () -> new CommitmentList(List.of()));
            assertEquals(List.of(ParticipantId.of(1), ParticipantId.of(3)),
                    CommitmentList.sorted(List.of(three, one)).participants());
        }
    }

    @Test
    void dealerParametersAreChecked() {
        try (SecretScalar secret = Polynomial.randomScalar(random)) {
            assertThrows(IllegalArgumentException.class, () -> TrustedDealer.split(secret, 1, 3, random));
            assertThrows(IllegalArgumentException.class, () -> TrustedDealer.split(secret, 4, 3, random));
            assertThrows(IllegalArgumentException.class, () -> TrustedDealer.split(secret, 2, 256, random));
        }
    }

    @Test
    void noncesSignOnceAndOnlyForTheirOwnCommitment() {
        byte[] message = "once".getBytes(StandardCharsets.UTF_8);
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 2, 3, random)) {
            KeyShare a = split.shares().get(0);
            KeyShare b = split.shares().get(1);
            SigningNonces na = SigningNonces.generate(a, random);
            SigningNonces nb = SigningNonces.generate(b, random);
            CommitmentList list = CommitmentList.sorted(List.of(na.commitment(), nb.commitment()));
            FrostSigner.sign(a, na, list, message);
            assertTrue(na.isDestroyed());
            assertThrows(IllegalArgumentException.class, () -> FrostSigner.sign(a, na, list, message));
            SigningNonces fresh = SigningNonces.generate(a, random);
            assertThrows(IllegalArgumentException.class, () -> FrostSigner.sign(a, fresh, list, message));
            assertTrue(fresh.isDestroyed(), "a refused round two still spends the nonces");
            SigningNonces alone = SigningNonces.generate(a, random);
            assertThrows(IllegalArgumentException.class, () -> FrostSigner.sign(a, alone,
                    new CommitmentList(List.of(alone.commitment())), message));
            assertFalse(nb.isDestroyed());
        }
    }

    @Test
    void secretsNeverPrint() {
        try (SecretScalar secret = Polynomial.randomScalar(random);
             DealerSplit split = TrustedDealer.split(secret, 2, 3, random)) {
            KeyShare share = split.shares().get(0);
            SigningNonces nonces = SigningNonces.generate(share, random);
            String shareHex = HEX.formatHex(share.signingShare().toByteArray(SecretAccess.plaintext()));
            String hidingHex = HEX.formatHex(nonces.hiding().toByteArray(SecretAccess.plaintext()));
            String printed = share + " " + share.signingShare() + " " + nonces + " " + split
                    + " " + new DkgRound2Share(ParticipantId.of(1), ParticipantId.of(2), Polynomial.randomScalar(random));
            assertFalse(printed.contains(shareHex));
            assertFalse(printed.contains(hidingHex));
            assertTrue(printed.contains("redacted"));
        }
    }

    @Test
    void closingDestroysTheShares() {
        SecretScalar secret = Polynomial.randomScalar(random);
        DealerSplit split = TrustedDealer.split(secret, 2, 3, random);
        split.close();
        assertTrue(split.shares().stream().allMatch(k -> k.signingShare().isDestroyed()));
        assertFalse(secret.isDestroyed(), "the caller's group secret is the caller's to destroy");
        secret.close();
        assertTrue(secret.isDestroyed());
    }
}
