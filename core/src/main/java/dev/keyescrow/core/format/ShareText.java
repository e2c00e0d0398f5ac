package dev.keyescrow.core.format;

import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.error.ShareTextException;
import dev.keyescrow.core.error.ShareTextException.Reason;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The text form of one share, for people and the command line ({@code docs/spec/share-text.md}):
 *
 * <pre>kes1-&lt;split id, 16 hex&gt;-&lt;threshold, 2 hex&gt;-&lt;count, 2 hex&gt;-&lt;index, 2 hex&gt;-&lt;value, 2·L hex&gt;-&lt;crc32, 8 hex&gt;</pre>
 *
 * <p>All hex is lowercase. The checksum is CRC-32 (ISO-HDLC, as zlib) of the ASCII text
 * before the last {@code -}. A single changed character is a burst of at most 8 bits and a
 * swap of two adjacent characters one of at most 16, and CRC-32 detects every burst up to
 * 32 bits, so both are always caught.
 *
 * <p>The text holds a secret value, so it is a {@code char[]} that the caller zeroes, never a
 * {@code String}.
 */
public final class ShareText {
    /** Prefix and version this code writes. */
    public static final String PREFIX = "kes";
    public static final int VERSION = 1;

    private static final int SPLIT_ID_CHARS = 16;
    private static final int CHECKSUM_CHARS = 8;
    private static final int FIELDS = 7;

    private ShareText() {
    }

    /** Encodes {@code share}; the caller zeroes the returned characters after use. */
    public static char[] encode(Share share) {
        byte[] value = share.value().toByteArray(SecretAccess.plaintext());
        SharingParameters p = share.parameters();
        int bodyLength = PREFIX.length() + 1 + 1 + SPLIT_ID_CHARS + 3 * 3 + 1 + 2 * value.length;
        char[] text = new char[bodyLength + 1 + CHECKSUM_CHARS];
        int at = 0;
        at = put(text, at, PREFIX + VERSION + "-" + share.splitId().hex() + "-");
        at = putHex(text, at, p.threshold(), 2);
        text[at++] = '-';
        at = putHex(text, at, p.shareCount(), 2);
        text[at++] = '-';
        at = putHex(text, at, share.index(), 2);
        text[at++] = '-';
        for (byte b : value) {
            text[at++] = SecretHex.digit((b >>> 4) & 0xF);
            text[at++] = SecretHex.digit(b & 0xF);
        }
        Arrays.fill(value, (byte) 0);
        if (at != bodyLength) {
            throw new IllegalStateException("share text length mismatch");
        }
        long crc = checksum(text, bodyLength);
        text[at++] = '-';
        putHex(text, at, crc, CHECKSUM_CHARS);
        return text;
    }

    /**
     * Decodes one share. Leading and trailing whitespace is not accepted: trim first.
     *
     * @throws ShareTextException with the first problem found, in the order of {@link Reason}
     */
    public static Share decode(char[] text) throws ShareTextException {
        if (!startsWith(text, PREFIX)) {
            throw new ShareTextException(Reason.PREFIX, "not a KeyEscrow share: it must start with '" + PREFIX + "'");
        }
        int firstDash = indexOf(text, '-', 0);
        if (firstDash != PREFIX.length() + 1 || text[PREFIX.length()] != (char) ('0' + VERSION)) {
            throw new ShareTextException(Reason.VERSION, "unknown share text version: this reads only '"
                    + PREFIX + VERSION + "-'");
        }
        int[] dashes = new int[FIELDS - 1];
        int count = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '-') {
                if (count == dashes.length) {
                    throw new ShareTextException(Reason.LENGTH, "share text has more than " + FIELDS + " fields");
                }
                dashes[count++] = i;
            }
        }
        if (count != dashes.length) {
            throw new ShareTextException(Reason.LENGTH, "share text has " + (count + 1) + " fields, expected " + FIELDS);
        }
        checkWidth(dashes[0], dashes[1], SPLIT_ID_CHARS, "split id");
        checkWidth(dashes[1], dashes[2], 2, "threshold");
        checkWidth(dashes[2], dashes[3], 2, "share count");
        checkWidth(dashes[3], dashes[4], 2, "index");
        int valueChars = dashes[5] - dashes[4] - 1;
        if (valueChars < 2 || valueChars % 2 != 0 || valueChars > 2 * SharingParameters.MAX_SECRET_LENGTH) {
            throw new ShareTextException(Reason.LENGTH, "share value has " + valueChars
                    + " hex digits: must be an even number from 2 to " + 2 * SharingParameters.MAX_SECRET_LENGTH);
        }
        checkWidth(dashes[5], text.length, CHECKSUM_CHARS, "checksum");

        long expected = checksum(text, dashes[5]);
        long given = parseHex(text, dashes[5] + 1, CHECKSUM_CHARS, "checksum", Reason.CHECKSUM);
        if (expected != given) {
            throw new ShareTextException(Reason.CHECKSUM, "checksum mismatch: a character was mistyped, dropped"
                    + " or swapped");
        }
        for (int i = firstDash + 1; i < dashes[5]; i++) {
            if (text[i] != '-' && SecretHex.lowercaseValue(text[i]) < 0) {
                throw new ShareTextException(Reason.SYNTAX, "share text may contain only lowercase hex digits and"
                        + " '-' (character " + (i + 1) + ")");
            }
        }
        SplitId splitId = new SplitId(new String(text, dashes[0] + 1, SPLIT_ID_CHARS));
        int threshold = (int) parseHex(text, dashes[1] + 1, 2, "threshold", Reason.SYNTAX);
        int shareCount = (int) parseHex(text, dashes[2] + 1, 2, "share count", Reason.SYNTAX);
        int index = (int) parseHex(text, dashes[3] + 1, 2, "index", Reason.SYNTAX);
        int length = valueChars / 2;
        SharingParameters parameters;
        try {
            parameters = SharingParameters.of(threshold, shareCount, length);
        } catch (IllegalArgumentException e) {
            throw new ShareTextException(Reason.PARAMETERS, e.getMessage());
        }
        byte[] value = new byte[length];
        try {
            int at = dashes[4] + 1;
            for (int i = 0; i < length; i++) {
                value[i] = (byte) (SecretHex.lowercaseValue(text[at + 2 * i]) << 4 | SecretHex.lowercaseValue(text[at + 2 * i + 1]));
            }
            try (SecretBytes secret = SecretBytes.copyFrom(value)) {
                return Share.of(splitId, parameters, index, secret);
            }
        } catch (InvalidShareIndexException e) {
            throw new ShareTextException(Reason.PARAMETERS, e.getMessage());
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    private static void checkWidth(int dash, int next, int width, String field) throws ShareTextException {
        int actual = next - dash - 1;
        if (actual != width) {
            throw new ShareTextException(Reason.LENGTH, field + " has " + actual + " characters, expected " + width);
        }
    }

    private static long checksum(char[] text, int length) {
        CRC32 crc = new CRC32();
        byte[] ascii = new byte[length];
        for (int i = 0; i < length; i++) {
            // non-ASCII characters map to 0xFF: they never make a valid share, and the change is still a burst
            ascii[i] = text[i] < 0x80 ? (byte) text[i] : (byte) 0xFF;
        }
        crc.update(ascii);
        Arrays.fill(ascii, (byte) 0);
        return crc.getValue();
    }

    private static long parseHex(char[] text, int at, int width, String field, Reason reason) throws ShareTextException {
        long result = 0;
        for (int i = 0; i < width; i++) {
            int v = SecretHex.lowercaseValue(text[at + i]);
            if (v < 0) {
                throw new ShareTextException(reason, field + " is not lowercase hex");
            }
            result = result << 4 | v;
        }
        return result;
    }

    private static int put(char[] text, int at, String s) {
        s.getChars(0, s.length(), text, at);
        return at + s.length();
    }

    private static int putHex(char[] text, int at, long value, int width) {
        for (int i = width - 1; i >= 0; i--) {
            text[at++] = SecretHex.digit((int) (value >>> (4 * i)) & 0xF);
        }
        return at;
    }

    private static boolean startsWith(char[] text, String prefix) {
        if (text.length < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text[i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(char[] text, char c, int from) {
        for (int i = from; i < text.length; i++) {
            if (text[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
