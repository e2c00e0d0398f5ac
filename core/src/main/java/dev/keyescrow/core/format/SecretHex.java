package dev.keyescrow.core.format;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import java.util.Arrays;

/**
 * Lowercase hexadecimal for secret bytes, without a lookup table or a branch on a digit's
 * value (a table indexed by a secret nibble leaks through the cache). Decoding accepts
 * upper and lower case.
 */
public final class SecretHex {
    private SecretHex() {
    }

    /** The hex text of {@code secret}; the caller zeroes it after use. */
    public static char[] encode(SecretBytes secret) {
        byte[] raw = secret.toByteArray(SecretAccess.plaintext());
        char[] out = new char[raw.length * 2];
        for (int i = 0; i < raw.length; i++) {
            out[2 * i] = digit((raw[i] >>> 4) & 0xF);
            out[2 * i + 1] = digit(raw[i] & 0xF);
        }
        Arrays.fill(raw, (byte) 0);
        return out;
    }

    /**
     * Decodes hex digits, upper or lower case.
     *
     * @throws IllegalArgumentException if the length is odd or a character is not a hex digit
     *                                  (the message gives the position, never the character)
     */
    public static SecretBytes decode(char[] hex) {
        if (hex.length % 2 != 0) {
            throw new IllegalArgumentException("hex has an odd number of digits (" + hex.length + ")");
        }
        byte[] out = new byte[hex.length / 2];
        try {
            int invalid = 0;
            int firstInvalid = -1;
            for (int i = 0; i < hex.length; i++) {
                int v = value(hex[i]);
                int bad = v >>> 31;
                invalid |= bad;
                if (bad != 0 && firstInvalid < 0) {
                    firstInvalid = i;
                }
                out[i / 2] |= (byte) ((v & 0xF) << (4 * (1 - (i & 1))));
            }
            if (invalid != 0) {
                throw new IllegalArgumentException("character " + (firstInvalid + 1) + " is not a hex digit");
            }
            return SecretBytes.copyFrom(out);
        } finally {
            Arrays.fill(out, (byte) 0);
        }
    }

    /** The lowercase digit of {@code nibble} (0..15). */
    static char digit(int nibble) {
        return (char) (nibble + '0' + (((9 - nibble) >> 31) & ('a' - '0' - 10)));
    }

    /** The value of a hex digit (either case), or -1. */
    static int value(char c) {
        return lowercaseValue((char) (c | ((upper(c) & 1) << 5)));
    }

    /** The value of a lowercase hex digit, or -1 (uppercase is refused). */
    static int lowercaseValue(char c) {
        int digit = c - '0';
        int letter = c - 'a' + 10;
        int isDigit = ((digit | (9 - digit)) >>> 31) ^ 1;
        int isLetter = (((letter - 10) | (15 - letter)) >>> 31) ^ 1;
        return (digit & -isDigit) | (letter & -isLetter) | ((isDigit | isLetter) - 1);
    }

    private static int upper(char c) {
        int offset = c - 'A';
        return ((offset | (5 - offset)) >>> 31) ^ 1;
    }
}
