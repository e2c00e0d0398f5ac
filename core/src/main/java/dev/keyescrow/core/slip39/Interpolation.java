package dev.keyescrow.core.slip39;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import java.util.ArrayList;
import java.util.List;

/**
 * Lagrange interpolation over GF(2^8) (polynomial 0x11B) at any public point, done by the core's
 * constant-time Shamir kernel.
 *
 * <p>Why through {@link Shamir#combine}: SLIP-0039 evaluates at x = 255 (the secret) and 254 (the
 * digest) from points whose x-coordinates start at 0, while the core's kernel evaluates at 0 from
 * x-coordinates 1..255, and its field code is internal to {@code sharing}. In a field of
 * characteristic 2, subtraction is XOR, so every Lagrange weight
 * ∏ (p − x_j) / (x_i − x_j) is unchanged when p and all x_j are shifted by the same element:
 * f(p) is the value at 0 of the points (x_i ⊕ p, y_i). The shifted coordinates are non-zero
 * exactly when p is not among the x_i, so they are valid share indices. This keeps one
 * implementation of the constant-time arithmetic (no table or branch indexed by a secret byte).
 */
final class Interpolation {
    private static final SplitId LOCAL = SplitId.copyFrom(new byte[SplitId.LENGTH_BYTES]);

    private Interpolation() {
    }

    /**
     * The value at {@code point} of the polynomial of lowest degree through (xs[i], values[i]).
     * The x-coordinates are public, distinct and in [0, 255]; the values have one length.
     * The caller owns (and zeroes) the result.
     */
    static byte[] evaluate(int point, int[] xs, byte[][] values) {
        int length = values[0].length;
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == point) {
                return values[i].clone();
            }
        }
        if (xs.length == 1) {
            return values[0].clone();
        }
        SharingParameters parameters = SharingParameters.of(xs.length, SharingParameters.MAX_SHARES, length);
        List<Share> shares = new ArrayList<>(xs.length);
        try {
            for (int i = 0; i < xs.length; i++) {
                try (SecretBytes value = SecretBytes.copyFrom(values[i])) {
                    shares.add(Share.of(LOCAL, parameters, xs[i] ^ point, value));
                }
            }
            try (SecretBytes result = Shamir.combine(shares)) {
                return result.toByteArray(SecretAccess.plaintext());
            }
        } catch (SharingException e) {
            throw new BugException("interpolation was given invalid points", e);
        } finally {
            shares.forEach(Share::destroy);
        }
    }
}
