package dev.keyescrow.core.slip39;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One SLIP-0039 share: its public {@link ShareHeader} and its secret value, and the mnemonic
 * that writes both down.
 *
 * <p>Mnemonic layout, in 10-bit words, big-endian throughout: identifier (15 bits), extendable
 * flag (1), iteration exponent (4), group index, group threshold − 1, group count − 1, member
 * index, member threshold − 1 (4 each), the share value left-padded with zero bits to a whole
 * number of words, then three RS1024 checksum words. A 16-byte value gives 20 words, 32 bytes 33.
 *
 * <p>Parsing refuses in the order of the reference implementation, so the reason names the
 * first problem: an unknown word, a wrong length, a bad checksum, a group threshold above the
 * group count, then non-zero padding. Not a record: the value is secret, so there is no
 * {@code equals} and {@link #toString()} shows the header only.
 */
public final class MnemonicShare implements AutoCloseable {
    static final int RADIX_BITS = 10;
    /** Identifier, flag and exponent: two words; group and member fields: two words. */
    static final int HEADER_WORDS = 4;
    static final int METADATA_WORDS = HEADER_WORDS + Rs1024.CHECKSUM_WORDS;
    /** Share values are at least 128 bits: 13 words. */
    public static final int MIN_WORDS = METADATA_WORDS + 13;
    public static final int MIN_VALUE_LENGTH = 16;

    static final byte[] CUSTOMIZATION = "shamir".getBytes(StandardCharsets.US_ASCII);
    static final byte[] CUSTOMIZATION_EXTENDABLE = "shamir_extendable".getBytes(StandardCharsets.US_ASCII);

    private final ShareHeader header;
    private final SecretBytes value;

    private MnemonicShare(ShareHeader header, SecretBytes value) {
        this.header = header;
        this.value = value;
    }

    /**
     * A share with a copy of {@code value}.
     *
     * @throws IllegalArgumentException if the value is shorter than 16 bytes or of odd length
     */
    public static MnemonicShare of(ShareHeader header, SecretBytes value) {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(value, "value");
        checkValueLength(value.length());
        byte[] copy = value.toByteArray(SecretAccess.plaintext());
        return new MnemonicShare(header, SecretBytes.moveFrom(copy));
    }

    static void checkValueLength(int length) {
        if (length < MIN_VALUE_LENGTH || length % 2 != 0) {
            throw new IllegalArgumentException("share value length " + length + " is invalid: SLIP-0039 needs an"
                    + " even number of bytes, at least " + MIN_VALUE_LENGTH);
        }
    }

    /**
     * Parses one mnemonic: words separated by spaces, tabs or line ends, in any case.
     * The caller keeps (and should wipe) {@code mnemonic}.
     *
     * @throws Slip39Exception with reason {@code UNKNOWN_WORD}, {@code WRONG_LENGTH},
     *                         {@code INVALID_CHECKSUM}, {@code GROUP_THRESHOLD_EXCEEDS_COUNT} or
     *                         {@code INVALID_PADDING}
     */
    public static MnemonicShare parse(char[] mnemonic) throws Slip39Exception {
        Objects.requireNonNull(mnemonic, "mnemonic");
        int[] words = toWordIndices(mnemonic);
        byte[] bytes = null;
        try {
            int count = words.length;
            if (count < MIN_WORDS) {
                throw new Slip39Exception(Reason.WRONG_LENGTH, "the mnemonic has " + count
                        + " words; a SLIP-0039 mnemonic has at least " + MIN_WORDS);
            }
            int valueWords = count - METADATA_WORDS;
            int padding = (RADIX_BITS * valueWords) % 16;
            if (padding > 8) {
                throw new Slip39Exception(Reason.WRONG_LENGTH, "the mnemonic has " + count
                        + " words, a length no share value gives (" + valueWords + " value words leave "
                        + padding + " bits of padding; at most 8 are allowed)");
            }
            int idExp = (words[0] << RADIX_BITS) | words[1];
            int identifier = idExp >>> 5;
            boolean extendable = ((idExp >>> 4) & 1) == 1;
            int exponent = idExp & 0xF;
            if (!Rs1024.verify(extendable ? CUSTOMIZATION_EXTENDABLE : CUSTOMIZATION, words)) {
                throw new Slip39Exception(Reason.INVALID_CHECKSUM, "the checksum does not match: a word is"
                        + " mistyped, missing, extra or out of order");
            }
            int fields = (words[2] << RADIX_BITS) | words[3];
            int groupIndex = fields >>> 16;
            int groupThreshold = ((fields >>> 12) & 0xF) + 1;
            int groupCount = ((fields >>> 8) & 0xF) + 1;
            int memberIndex = (fields >>> 4) & 0xF;
            int memberThreshold = (fields & 0xF) + 1;
            if (groupThreshold > groupCount) {
                throw new Slip39Exception(Reason.GROUP_THRESHOLD_EXCEEDS_COUNT, "the group threshold "
                        + groupThreshold + " is greater than the group count " + groupCount);
            }
            bytes = new byte[(RADIX_BITS * valueWords - padding) / 8];
            if (!unpack(words, HEADER_WORDS, valueWords, padding, bytes)) {
                throw new Slip39Exception(Reason.INVALID_PADDING, "the " + padding + " padding bits in front of"
                        + " the share value are not all zero");
            }
            ShareHeader header = new ShareHeader(identifier, extendable, exponent, groupIndex, groupThreshold,
                    groupCount, memberIndex, memberThreshold);
            return new MnemonicShare(header, SecretBytes.moveFrom(bytes));
        } finally {
            Arrays.fill(words, 0);
            if (bytes != null) {
                Arrays.fill(bytes, (byte) 0);
            }
        }
    }

    /** The mnemonic: lowercase words separated by single spaces. The caller owns and should wipe it. */
    public char[] toMnemonic() {
        byte[] bytes = value.toByteArray(SecretAccess.plaintext());
        int valueWords = (8 * bytes.length + RADIX_BITS - 1) / RADIX_BITS;
        int[] words = new int[METADATA_WORDS + valueWords];
        char[] buffer = new char[words.length * (WordList.MAX_WORD_LENGTH + 1)];
        try {
            int idExp = (header.identifier() << 5) | ((header.extendable() ? 1 : 0) << 4) | header.iterationExponent();
            int fields = (header.groupIndex() << 16) | ((header.groupThreshold() - 1) << 12)
                    | ((header.groupCount() - 1) << 8) | (header.memberIndex() << 4) | (header.memberThreshold() - 1);
            words[0] = idExp >>> RADIX_BITS;
            words[1] = idExp & 0x3FF;
            words[2] = fields >>> RADIX_BITS;
            words[3] = fields & 0x3FF;
            pack(bytes, words, HEADER_WORDS, valueWords * RADIX_BITS - 8 * bytes.length);
            Rs1024.fill(header.extendable() ? CUSTOMIZATION_EXTENDABLE : CUSTOMIZATION, words);
            WordList list = WordList.standard();
            int length = 0;
            for (int i = 0; i < words.length; i++) {
                if (i > 0) {
                    buffer[length++] = ' ';
                }
                length += list.write(words[i], buffer, length);
            }
            return Arrays.copyOf(buffer, length);
        } finally {
            Arrays.fill(bytes, (byte) 0);
            Arrays.fill(words, 0);
            Arrays.fill(buffer, '\0');
        }
    }

    public ShareHeader header() {
        return header;
    }

    /** The secret share value. Callers must not destroy it; destroy the share instead. */
    public SecretBytes value() {
        return value;
    }

    public void destroy() {
        value.destroy();
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "MnemonicShare[" + header + ", " + value.length() + " bytes, value redacted]";
    }

    private static int[] toWordIndices(char[] text) throws Slip39Exception {
        WordList list = WordList.standard();
        int count = 0;
        for (int i = 0; i < text.length; i++) {
            if (!isSeparator(text[i]) && (i == 0 || isSeparator(text[i - 1]))) {
                count++;
            }
        }
        int[] words = new int[count];
        int w = 0;
        int i = 0;
        try {
            while (i < text.length) {
                if (isSeparator(text[i])) {
                    i++;
                    continue;
                }
                int start = i;
                while (i < text.length && !isSeparator(text[i])) {
                    i++;
                }
                int index = list.indexOf(text, start, i);
                if (index < 0) {
                    throw new Slip39Exception(Reason.UNKNOWN_WORD, "word " + (w + 1)
                            + " is not in the SLIP-0039 word list");
                }
                words[w++] = index;
            }
            return words;
        } catch (Slip39Exception e) {
            Arrays.fill(words, 0);
            throw e;
        }
    }

    private static boolean isSeparator(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * Big-endian bits of {@code count} words from {@code first}, less the leading
     * {@code padding} bits, into {@code out}. Returns false if a padding bit is set.
     */
    private static boolean unpack(int[] words, int first, int count, int padding, byte[] out) {
        int acc = 0;
        int bits = 0;
        int skip = padding;
        int paddingBits = 0;
        int n = 0;
        for (int k = first; k < first + count; k++) {
            acc = (acc << RADIX_BITS) | words[k];
            bits += RADIX_BITS;
            if (skip > 0) {
                paddingBits |= acc >>> (bits - skip);
                bits -= skip;
                acc &= (1 << bits) - 1;
                skip = 0;
            }
            while (bits >= 8) {
                out[n++] = (byte) (acc >>> (bits - 8));
                bits -= 8;
                acc &= (1 << bits) - 1;
            }
        }
        return paddingBits == 0;
    }

    /** The inverse of {@link #unpack}: {@code padding} zero bits, then the bytes, as 10-bit words. */
    private static void pack(byte[] bytes, int[] words, int first, int padding) {
        int acc = 0;
        int bits = padding;
        int w = first;
        for (byte b : bytes) {
            acc = (acc << 8) | (b & 0xFF);
            bits += 8;
            if (bits >= RADIX_BITS) {
                words[w++] = acc >>> (bits - RADIX_BITS);
                bits -= RADIX_BITS;
                acc &= (1 << bits) - 1;
            }
        }
    }
}
