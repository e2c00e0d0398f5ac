package dev.keyescrow.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.ShareTextException;
import dev.keyescrow.core.error.ShareTextException.Reason;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.testing.DeterministicRandom;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ShareTextProperties {
    /** Every character a person might type instead of the right one. */
    private static final String TYPEABLE = "0123456789abcdefghijklmnopqrstuvwxyzABCDEF-_ .";

    private static Share share(long seed, byte[] secret, int t, int n) {
        return new Shamir(new DeterministicRandom(seed)).split(SecretBytes.copyFrom(secret), t, n).get(n - 1);
    }

    @Property(tries = 200)
    void encodeThenDecodeIsIdentity(@ForAll long seed, @ForAll @Size(min = 1, max = 80) byte[] secret,
                                    @ForAll @IntRange(min = 2, max = 255) int n) throws ShareTextException {
        Share share = share(seed, secret, 2, n);
        Share decoded = ShareText.decode(ShareText.encode(share));
        assertEquals(share.splitId(), decoded.splitId());
        assertEquals(share.parameters(), decoded.parameters());
        assertEquals(share.index(), decoded.index());
        assertArrayEquals(share.value().toByteArray(SecretAccess.plaintext()),
                decoded.value().toByteArray(SecretAccess.plaintext()));
    }

    @Property(tries = 40)
    void everySingleCharacterChangeIsRejected(@ForAll long seed, @ForAll @Size(min = 1, max = 16) byte[] secret) {
        char[] text = ShareText.encode(share(seed, secret, 3, 5));
        for (int i = 0; i < text.length; i++) {
            for (char c : TYPEABLE.toCharArray()) {
                if (c == text[i]) {
                    continue;
                }
                char[] changed = text.clone();
                changed[i] = c;
                assertThrows(ShareTextException.class, () -> ShareText.decode(changed),
                        "change at " + i);
            }
        }
    }

    @Property(tries = 100)
    void everyAdjacentSwapIsRejected(@ForAll long seed, @ForAll @Size(min = 1, max = 32) byte[] secret) {
        char[] text = ShareText.encode(share(seed, secret, 2, 3));
        for (int i = 0; i + 1 < text.length; i++) {
            if (text[i] == text[i + 1]) {
                continue;
            }
            char[] swapped = text.clone();
            swapped[i] = text[i + 1];
            swapped[i + 1] = text[i];
            assertThrows(ShareTextException.class, () -> ShareText.decode(swapped), "swap at " + i);
        }
    }

    @Example
    void decodingNamesWhatIsWrong() {
        char[] text = ShareText.encode(share(1, new byte[] {1, 2, 3}, 2, 3));
        String good = new String(text);
        assertEquals(Reason.PREFIX, reasonOf("xyz" + good.substring(3)));
        assertEquals(Reason.VERSION, reasonOf("kes2" + good.substring(4)));
        assertEquals(Reason.LENGTH, reasonOf(good.substring(0, good.length() - 1)));
        assertEquals(Reason.LENGTH, reasonOf(good + "-00"));
        assertEquals(Reason.CHECKSUM, reasonOf(good.substring(0, good.length() - 1)
                + (good.endsWith("0") ? "1" : "0")));
        int inValue = good.lastIndexOf('-') - 1;
        char swappedDigit = good.charAt(inValue) == 'f' ? 'e' : 'f';
        assertEquals(Reason.CHECKSUM, reasonOf(good.substring(0, inValue) + swappedDigit + good.substring(inValue + 1)));
    }

    @Example
    void shareTextVectorsFromTheSpec() throws ShareTextException {
        // docs/spec/share-text.md, vector 1: secret 000102...1f, 2-of-3, DeterministicRandom(2026), share 1
        List<Share> shares = new Shamir(new DeterministicRandom(2026)).split(SecretBytes.copyFrom(sequence(32)), 2, 3);
        String expected = SpecVectors.SHARE_TEXT_1;
        assertEquals(expected, new String(ShareText.encode(shares.get(0))));
        Share decoded = ShareText.decode(expected.toCharArray());
        assertEquals(1, decoded.index());
    }

    static byte[] sequence(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    private static Reason reasonOf(String text) {
        return assertThrows(ShareTextException.class, () -> ShareText.decode(text.toCharArray())).reason();
    }
}
