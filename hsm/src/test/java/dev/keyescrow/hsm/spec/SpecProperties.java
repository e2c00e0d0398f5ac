package dev.keyescrow.hsm.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ShareRef;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the software side of the transport construction. */
class SpecProperties {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final EphemeralKey NODE_TRANSPORT = EphemeralKey.generate(RANDOM);

    @Provide
    Arbitrary<ShareRef> refs() {
        return Combinators.combine(Arbitraries.of("key-a", "key-b", "k", "0-0"), Arbitraries.integers().between(1, 5),
                Arbitraries.integers().between(1, 255), Arbitraries.integers().between(1, 80)).as(ShareRef::new);
    }

    @Property(tries = 60)
    void importEnvelope_opensOnlyForItsOwnShareReference(@ForAll("refs") ShareRef ref, @ForAll("refs") ShareRef other)
            throws Exception {
        byte[] raw = new byte[ref.length()];
        RANDOM.nextBytes(raw);
        try (SecretBytes share = SecretBytes.moveFrom(raw)) {
            byte[] envelope = ShareSender.wrapForImport(NODE_TRANSPORT.publicKey(), ref, share, RANDOM);
            ImportEnvelope parsed = ImportEnvelope.parse(envelope);
            assertArrayEquals(envelope, parsed.encoded());
            // the node side, in software: derive with the transport private key
            try (SecretBytes kek = KekDerivation.deriveKek(NODE_TRANSPORT.privateKey(), parsed.ephemeralPublicKey(),
                    KekContext.forImport(ref), parsed.ephemeralPublicKey(), NODE_TRANSPORT.publicKey());
                 SecretBytes opened = AesKwp.unwrap(kek, parsed.wrapped())) {
                assertTrue(share.equalsSecret(opened));
            }
            if (!other.equals(ref)) {
                try (SecretBytes kek = KekDerivation.deriveKek(NODE_TRANSPORT.privateKey(),
                        parsed.ephemeralPublicKey(), KekContext.forImport(other), parsed.ephemeralPublicKey(),
                        NODE_TRANSPORT.publicKey())) {
                    assertThrows(CorruptBlobException.class, () -> AesKwp.unwrap(kek, parsed.wrapped()));
                }
            }
        }
    }

    @Property
    void distinctShareReferences_haveDistinctContexts(@ForAll("refs") ShareRef a, @ForAll("refs") ShareRef b) {
        assertEquals(a.equals(b), Arrays.equals(KekContext.forImport(a).context(), KekContext.forImport(b).context()));
    }

    @Property
    void lengthRule_acceptsOnlyZeroPaddingBelowEightBytes(@ForAll @Size(min = 1, max = 64) byte[] value,
            @ForAll @IntRange(min = 0, max = 9) int extra, @ForAll @IntRange(min = 0, max = 255) int tail)
            throws Exception {
        byte[] padded = Arrays.copyOf(value, value.length + extra);
        if (extra > 0) {
            padded[padded.length - 1] = (byte) tail;
        }
        boolean acceptable = extra < 8 && (extra == 0 || tail == 0);
        if (acceptable) {
            try (SecretBytes trimmed = ShareLength.trim(SecretBytes.copyFrom(padded), value.length)) {
                assertArrayEquals(value, trimmed.toByteArray(SecretAccess.plaintext()));
            }
        } else {
            assertThrows(CorruptBlobException.class, () -> ShareLength.trim(SecretBytes.copyFrom(padded), value.length));
        }
    }

    @Property(tries = 200)
    void aesKwp_detectsAnySingleBitFlip(@ForAll @Size(min = 1, max = 48) byte[] value,
            @ForAll @IntRange(min = 0, max = 1000) int position) throws Exception {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        try (SecretBytes kek = SecretBytes.moveFrom(k)) {
            byte[] wrapped = AesKwp.wrap(kek, SecretBytes.copyFrom(value));
            int bit = position % (wrapped.length * 8);
            wrapped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(CorruptBlobException.class, () -> AesKwp.unwrap(kek, wrapped));
        }
    }

    @Property(tries = 30)
    void invalidEnvelopeBytes_areRefusedWithTypedFailures(@ForAll @Size(max = 200) byte[] garbage) {
        Exception e = assertThrows(Exception.class, () -> ImportEnvelope.parse(garbage));
        assertTrue(e instanceof CorruptBlobException || e instanceof dev.keyescrow.hsm.InvalidPeerKeyException,
                e.getClass().getName());
        assertFalse(e.getMessage().isEmpty());
    }
}
