package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.BugException;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The SLIP-0039 passphrase encryption of the master secret: a four-round Feistel network whose
 * round function is PBKDF2-HMAC-SHA256, a wide-block permutation, so the ciphertext has the
 * length of the secret (and any secret, even a chosen one, can be backed up).
 *
 * <p>Round i: F(i, R) = PBKDF2(password = byte i ‖ passphrase, salt = ("shamir" ‖ id) ‖ R, or
 * just R for an extendable backup, iterations = 2500 × 2^e, length = |R|). The iteration count
 * is what makes guessing a passphrase from a complete set of shares expensive; each step of e
 * doubles it. Decryption runs the rounds in reverse order.
 */
final class MasterSecretCipher {
    static final int ROUNDS = 4;
    static final int BASE_ITERATIONS = 10_000;

    private MasterSecretCipher() {
    }

    /** The encrypted master secret (EMS) of {@code secret}; the caller zeroes both arrays. */
    static byte[] encrypt(byte[] secret, Passphrase passphrase, int exponent, int identifier, boolean extendable) {
        return run(secret, passphrase, exponent, identifier, extendable, true);
    }

    /** The master secret from its encryption; the caller zeroes both arrays. */
    static byte[] decrypt(byte[] encrypted, Passphrase passphrase, int exponent, int identifier, boolean extendable) {
        return run(encrypted, passphrase, exponent, identifier, extendable, false);
    }

    private static byte[] run(byte[] input, Passphrase passphrase, int exponent, int identifier, boolean extendable,
            boolean forward) {
        if (input.length % 2 != 0 || input.length == 0) {
            throw new IllegalArgumentException("the secret must have an even, non-zero number of bytes");
        }
        int half = input.length / 2;
        byte[] left = Arrays.copyOfRange(input, 0, half);
        byte[] right = Arrays.copyOfRange(input, half, input.length);
        byte[] saltPrefix = saltPrefix(identifier, extendable);
        try {
            for (int step = 0; step < ROUNDS; step++) {
                int round = forward ? step : ROUNDS - 1 - step;
                byte[] f = roundFunction(round, passphrase, exponent, saltPrefix, right);
                for (int k = 0; k < half; k++) {
                    left[k] ^= f[k];
                }
                Arrays.fill(f, (byte) 0);
                byte[] swap = left;
                left = right;
                right = swap;
            }
            byte[] output = new byte[input.length];
            System.arraycopy(right, 0, output, 0, half);
            System.arraycopy(left, 0, output, half, half);
            return output;
        } finally {
            Arrays.fill(left, (byte) 0);
            Arrays.fill(right, (byte) 0);
        }
    }

    /** "shamir" ‖ identifier (two bytes, big-endian); empty for an extendable backup. */
    private static byte[] saltPrefix(int identifier, boolean extendable) {
        if (extendable) {
            return new byte[0];
        }
        byte[] prefix = Arrays.copyOf(MnemonicShare.CUSTOMIZATION, MnemonicShare.CUSTOMIZATION.length + 2);
        prefix[prefix.length - 2] = (byte) (identifier >>> 8);
        prefix[prefix.length - 1] = (byte) identifier;
        return prefix;
    }

    private static byte[] roundFunction(int round, Passphrase passphrase, int exponent, byte[] saltPrefix,
            byte[] right) {
        byte[] salt = new byte[saltPrefix.length + right.length];
        System.arraycopy(saltPrefix, 0, salt, 0, saltPrefix.length);
        System.arraycopy(right, 0, salt, saltPrefix.length, right.length);
        // every password character is ASCII (the round byte 0..3, printable passphrase
        // characters), so the JDK's UTF-8 encoding of the password gives exactly these bytes
        char[] password = passphrase.roundPassword(round);
        PBEKeySpec spec = new PBEKeySpec(password, salt, (BASE_ITERATIONS << exponent) / ROUNDS, 8 * right.length);
        try {
            SecretKey key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec);
            return key.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK provides no PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
            Arrays.fill(password, '\0');
            Arrays.fill(salt, (byte) 0);
        }
    }
}
