package dev.keyescrow.core.sharing;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.DuplicateShareIndexException;
import dev.keyescrow.core.error.InconsistentSharesException;
import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.error.MismatchedSharesException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.error.TooFewSharesException;
import dev.keyescrow.core.error.UnequalShareLengthException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.internal.ShamirKernel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Splits secrets into Shamir shares and combines them, over GF(2^8) with the polynomial
 * 0x11B and share index i at x = i.
 *
 * <p>Constant-time in the secret and the share values (see {@code internal}); only the
 * public indices steer the computation. Randomness is injected: production code uses
 * {@link #withDrbg()}, tests pass a seeded generator to replay a split byte for byte.
 *
 * <p>Combining either returns the right secret or throws a {@link SharingException}
 * before returning anything: shares of different splits or parameters, duplicate
 * indices and too few shares are refused before interpolation, and when more than t shares
 * are given, every share beyond the first t must lie on the polynomial the first t define.
 * With exactly t shares a corrupted value cannot be seen by the arithmetic alone; check
 * shares against their commitments first ({@code integrity.ShareCommitment}).
 */
public final class Shamir {
    private final SecureRandom random;

    public Shamir(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Shamir with the JDK's DRBG ({@code SecureRandom.getInstance("DRBG")}). */
    public static Shamir withDrbg() {
        try {
            return new Shamir(SecureRandom.getInstance("DRBG"));
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK provides no DRBG", e);
        }
    }

    /**
     * Splits {@code secret} into {@code shareCount} shares, any {@code threshold} of which
     * reconstruct it. Share i (1-based) is the evaluation at x = i.
     *
     * @throws IllegalArgumentException if 2 ≤ t ≤ n ≤ 255 or 1 ≤ length ≤ 64 KiB does not hold
     */
    public List<Share> split(SecretBytes secret, int threshold, int shareCount) {
        Objects.requireNonNull(secret, "secret");
        SharingParameters parameters = SharingParameters.of(threshold, shareCount, secret.length());
        int length = secret.length();
        // one draw for the split id and every coefficient: a DRBG call has a fixed cost of its own
        byte[] randomness = new byte[SplitId.LENGTH_BYTES + (threshold - 1) * length];
        random.nextBytes(randomness);
        SplitId splitId = SplitId.copyFrom(Arrays.copyOf(randomness, SplitId.LENGTH_BYTES));
        byte[] plain = secret.toByteArray(SecretAccess.plaintext());
        byte[][] outputs = new byte[shareCount][length];
        int[] xs = new int[shareCount];
        for (int i = 0; i < shareCount; i++) {
            xs[i] = i + 1;
        }
        List<Share> shares = new ArrayList<>(shareCount);
        try {
            ShamirKernel.split(plain, randomness, SplitId.LENGTH_BYTES, threshold, xs, outputs);
            for (int i = 0; i < shareCount; i++) {
                shares.add(Share.adopt(splitId, parameters, xs[i], SecretBytes.moveFrom(outputs[i])));
            }
            return shares;
        } catch (InvalidShareIndexException e) {
            shares.forEach(Share::destroy);
            throw new BugException("split produced an out-of-range index", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
            Arrays.fill(randomness, (byte) 0);
            for (byte[] output : outputs) {
                Arrays.fill(output, (byte) 0);
            }
        }
    }

    /**
     * Reconstructs the secret from {@code threshold} or more shares of one split, in any order.
     *
     * @throws DuplicateShareIndexException  two shares have the same index
     * @throws MismatchedSharesException     shares of different splits or parameters (names the field)
     * @throws UnequalShareLengthException   share values of different lengths
     * @throws TooFewSharesException         fewer shares than the threshold
     * @throws InconsistentSharesException   more than t shares that do not agree
     */
    public static SecretBytes combine(Collection<Share> shares) throws SharingException {
        Objects.requireNonNull(shares, "shares");
        List<Share> list = List.copyOf(shares);
        if (list.isEmpty()) {
            throw new TooFewSharesException("no shares were given");
        }
        checkSameSplit(list);
        SharingParameters parameters = list.get(0).parameters();
        int threshold = parameters.threshold();
        if (list.size() < threshold) {
            throw new TooFewSharesException(list.size() + " shares were given but the threshold is " + threshold);
        }
        int length = parameters.secretLength();
        int[] xs = new int[threshold];
        byte[][] values = new byte[threshold][];
        byte[] secret = new byte[length];
        byte[] expected = new byte[length];
        byte[] actual = null;
        try {
            for (int i = 0; i < threshold; i++) {
                xs[i] = list.get(i).index();
                values[i] = list.get(i).value().toByteArray(SecretAccess.plaintext());
            }
            ShamirKernel.interpolate(0, xs, values, secret);
            for (int e = threshold; e < list.size(); e++) {
                Share extra = list.get(e);
                ShamirKernel.interpolate(extra.index(), xs, values, expected);
                actual = extra.value().toByteArray(SecretAccess.plaintext());
                boolean agrees = MessageDigest.isEqual(expected, actual);
                Arrays.fill(actual, (byte) 0);
                if (!agrees) {
                    throw new InconsistentSharesException("the " + list.size() + " shares given do not lie on one"
                            + " polynomial: at least one is corrupt; check them against their commitments");
                }
            }
            return SecretBytes.copyFrom(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
            Arrays.fill(expected, (byte) 0);
            if (actual != null) {
                Arrays.fill(actual, (byte) 0);
            }
            for (byte[] value : values) {
                if (value != null) {
                    Arrays.fill(value, (byte) 0);
                }
            }
        }
    }

    private static void checkSameSplit(List<Share> shares) throws SharingException {
        Share first = shares.get(0);
        boolean[] seen = new boolean[SharingParameters.MAX_SHARES + 1];
        for (Share share : shares) {
            int index = share.index();
            if (seen[index]) {
                throw new DuplicateShareIndexException("share index " + index + " appears more than once");
            }
            seen[index] = true;
        }
        for (Share share : shares) {
            if (!share.splitId().equals(first.splitId())) {
                throw new MismatchedSharesException("split id", "shares belong to different splits: "
                        + first.splitId() + " and " + share.splitId());
            }
        }
        for (Share share : shares) {
            if (share.value().length() != first.value().length()) {
                throw new UnequalShareLengthException("share values have different lengths: "
                        + first.value().length() + " and " + share.value().length() + " bytes");
            }
        }
        for (Share share : shares) {
            SharingParameters a = first.parameters();
            SharingParameters b = share.parameters();
            if (a.threshold() != b.threshold()) {
                throw mismatch("threshold", a.threshold(), b.threshold());
            }
            if (a.shareCount() != b.shareCount()) {
                throw mismatch("share count", a.shareCount(), b.shareCount());
            }
            if (a.secretLength() != b.secretLength()) {
                throw mismatch("secret length", a.secretLength(), b.secretLength());
            }
            if (a.schemeVersion() != b.schemeVersion()) {
                throw mismatch("scheme version", a.schemeVersion(), b.schemeVersion());
            }
        }
    }

    private static MismatchedSharesException mismatch(String field, int a, int b) {
        return new MismatchedSharesException(field, "shares have different " + field + ": " + a + " and " + b);
    }
}
