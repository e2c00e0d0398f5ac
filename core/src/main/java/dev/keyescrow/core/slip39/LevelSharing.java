package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One level of SLIP-0039 sharing (the group level or the member level): SplitSecret and
 * RecoverSecret of the specification.
 *
 * <p>The secret is stored at x = 255 and a digest at x = 254, never at x = 0: an implementation
 * that forgot to refuse a share with x = 0 would otherwise return that share's value as the
 * secret. The digest share is the first 4 bytes of HMAC-SHA256(key = R, message = secret)
 * followed by the n − 4 random bytes R; on recovery it catches shares that are well formed but
 * do not belong together, with a 2^-32 chance of missing them. A threshold of 1 copies the
 * secret and has no digest.
 */
final class LevelSharing {
    static final int SECRET_X = 255;
    static final int DIGEST_X = 254;
    static final int DIGEST_LENGTH = 4;

    private LevelSharing() {
    }

    /** Share values for x = 0 .. count − 1; the caller zeroes them. */
    static byte[][] split(int threshold, int count, byte[] secret, SecureRandom random) {
        if (threshold < 1 || threshold > count || count > ShareHeader.MAX_COUNT) {
            throw new IllegalArgumentException("threshold " + threshold + " of " + count + " is invalid: need"
                    + " 1 <= threshold <= count <= " + ShareHeader.MAX_COUNT);
        }
        byte[][] shares = new byte[count][];
        if (threshold == 1) {
            for (int i = 0; i < count; i++) {
                shares[i] = secret.clone();
            }
            return shares;
        }
        int randomShares = threshold - 2;
        int[] baseXs = new int[threshold];
        byte[][] baseValues = new byte[threshold][];
        for (int i = 0; i < randomShares; i++) {
            byte[] value = new byte[secret.length];
            random.nextBytes(value);
            shares[i] = value;
            baseXs[i] = i;
            baseValues[i] = value;
        }
        byte[] randomPart = new byte[secret.length - DIGEST_LENGTH];
        random.nextBytes(randomPart);
        byte[] digestShare = new byte[secret.length];
        byte[] digest = digest(randomPart, secret);
        System.arraycopy(digest, 0, digestShare, 0, DIGEST_LENGTH);
        System.arraycopy(randomPart, 0, digestShare, DIGEST_LENGTH, randomPart.length);
        Arrays.fill(digest, (byte) 0);
        Arrays.fill(randomPart, (byte) 0);
        baseXs[threshold - 2] = DIGEST_X;
        baseValues[threshold - 2] = digestShare;
        baseXs[threshold - 1] = SECRET_X;
        baseValues[threshold - 1] = secret;
        try {
            for (int x = randomShares; x < count; x++) {
                shares[x] = Interpolation.evaluate(x, baseXs, baseValues);
            }
            return shares;
        } finally {
            Arrays.fill(digestShare, (byte) 0);
        }
    }

    /**
     * The secret from exactly {@code threshold} shares with distinct x-coordinates, checked
     * against its digest. The caller zeroes the result.
     *
     * @param level "group 2" or "the group level": names where a digest failed
     * @throws Slip39Exception {@code INVALID_DIGEST} if the shares do not belong together
     */
    static byte[] recover(int threshold, int[] xs, byte[][] values, String level) throws Slip39Exception {
        if (threshold == 1) {
            return values[0].clone();
        }
        byte[] secret = Interpolation.evaluate(SECRET_X, xs, values);
        byte[] digestShare = Interpolation.evaluate(DIGEST_X, xs, values);
        byte[] randomPart = Arrays.copyOfRange(digestShare, DIGEST_LENGTH, digestShare.length);
        byte[] stored = Arrays.copyOf(digestShare, DIGEST_LENGTH);
        byte[] expected = null;
        try {
            expected = digest(randomPart, secret);
            boolean valid = MessageDigest.isEqual(stored, expected);
            if (!valid) {
                Arrays.fill(secret, (byte) 0);
                throw new Slip39Exception(Reason.INVALID_DIGEST, "the shares of " + level + " do not match their"
                        + " digest: they are well formed but do not belong together (one is forged, or from"
                        + " another backup with the same identifier)");
            }
            return secret;
        } finally {
            Arrays.fill(digestShare, (byte) 0);
            Arrays.fill(randomPart, (byte) 0);
            Arrays.fill(stored, (byte) 0);
            if (expected != null) {
                Arrays.fill(expected, (byte) 0);
            }
        }
    }

    /** The first 4 bytes of HMAC-SHA256(key = randomPart, message = secret). */
    private static byte[] digest(byte[] randomPart, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(randomPart, "HmacSHA256"));
            byte[] full = mac.doFinal(secret);
            byte[] digest = Arrays.copyOf(full, DIGEST_LENGTH);
            Arrays.fill(full, (byte) 0);
            return digest;
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK provides no HmacSHA256", e);
        }
    }
}
