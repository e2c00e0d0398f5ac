package dev.keyescrow.journal;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The one accepted form of an ECDSA P-256 signature in journal formats: 64 bytes r ‖ s with
 * 1 ≤ r < n and 1 ≤ s ≤ n/2 ("low s").
 *
 * <p>ECDSA is malleable: (r, n - s) verifies as well as (r, s). Accepting both would give a
 * record two valid encodings, so the writer normalises to low s (a token may return either)
 * and the parser refuses high s as non-canonical. Record hashes exclude the signature anyway,
 * so the chain never depends on which of the two was chosen.
 */
final class SignatureForm {
    static final int LENGTH = 64;
    private static final BigInteger N = new BigInteger(
            "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);
    private static final BigInteger HALF_N = N.shiftRight(1);

    private SignatureForm() {
    }

    /** The low-s form of a 64-byte signature from a {@link dev.keyescrow.core.signature.Signer}. */
    static byte[] normalize(byte[] signature) {
        if (signature == null || signature.length != LENGTH) {
            throw new IllegalArgumentException("signer returned a signature that is not 64 bytes (r || s)");
        }
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (s.compareTo(HALF_N) <= 0) {
            return signature.clone();
        }
        byte[] out = signature.clone();
        byte[] low = N.subtract(s).toByteArray();
        Arrays.fill(out, 32, 64, (byte) 0);
        int copy = Math.min(low.length, 32);
        System.arraycopy(low, low.length - copy, out, 64 - copy, copy);
        return out;
    }

    static void requireCanonical(byte[] signature, String what) throws JournalFormatException {
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0) {
            throw new JournalFormatException(what + ": signature r is out of range [1, n-1]");
        }
        if (s.signum() == 0 || s.compareTo(HALF_N) > 0) {
            throw new JournalFormatException(what + ": signature s is not in [1, n/2] (high s is not canonical)");
        }
    }
}
