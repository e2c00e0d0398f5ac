package dev.keyescrow.core.slip39;

import java.util.Arrays;
import java.util.Objects;

/**
 * The passphrase that encrypts the master secret before it is split. SLIP-0039 allows only
 * printable ASCII (code points 32 to 126), so every implementation turns it into the same bytes;
 * the empty passphrase is the default.
 *
 * <p>There is no way to tell a wrong passphrase from a right one: recovery with a wrong
 * passphrase yields a different, valid-looking secret. Callers check the result (a key check
 * value) before they use it.
 *
 * <p>Held as a wipeable {@code char[]}; {@link #toString()} never shows it.
 */
public final class Passphrase implements AutoCloseable {
    private static final Passphrase EMPTY = new Passphrase(new char[0]);

    private final char[] chars;

    private Passphrase(char[] chars) {
        this.chars = chars;
    }

    /** The empty passphrase, SLIP-0039's default. */
    public static Passphrase empty() {
        return EMPTY;
    }

    /**
     * A copy of {@code chars}; the caller keeps (and should wipe) its own array.
     *
     * @throws IllegalArgumentException if a character is outside printable ASCII (32..126);
     *                                  the message gives its position, not the character
     */
    public static Passphrase copyOf(char[] chars) {
        Objects.requireNonNull(chars, "chars");
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] < 32 || chars[i] > 126) {
                throw new IllegalArgumentException("passphrase character " + (i + 1) + " is not printable ASCII:"
                        + " SLIP-0039 allows only code points 32 to 126");
            }
        }
        return chars.length == 0 ? EMPTY : new Passphrase(chars.clone());
    }

    public int length() {
        return chars.length;
    }

    /** The PBKDF2 password of Feistel round {@code round}: the round number as one byte, then the passphrase. */
    char[] roundPassword(int round) {
        char[] password = new char[chars.length + 1];
        password[0] = (char) round;
        System.arraycopy(chars, 0, password, 1, chars.length);
        return password;
    }

    /** Wipes the characters. The empty passphrase has none. */
    @Override
    public void close() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public String toString() {
        return "Passphrase[redacted]";
    }
}
