package dev.keyescrow.core.sharing;

/**
 * Public parameters of one split: threshold t, share count n, secret length in bytes and
 * the scheme version. Validated field by field when built.
 */
public record SharingParameters(int threshold, int shareCount, int secretLength, int schemeVersion) {
    /** The only scheme this code writes and reads: GF(2^8)/0x11B, x = share index. */
    public static final int SCHEME_VERSION = 1;
    public static final int MIN_THRESHOLD = 2;
    public static final int MAX_SHARES = 255;
    public static final int MAX_SECRET_LENGTH = 64 * 1024;

    public SharingParameters {
        if (shareCount < MIN_THRESHOLD || shareCount > MAX_SHARES) {
            throw new IllegalArgumentException("share count " + shareCount + " is invalid: must be in ["
                    + MIN_THRESHOLD + ", " + MAX_SHARES + "]");
        }
        if (threshold < MIN_THRESHOLD || threshold > shareCount) {
            throw new IllegalArgumentException("threshold " + threshold + " is invalid: must be in ["
                    + MIN_THRESHOLD + ", shareCount] = [" + MIN_THRESHOLD + ", " + shareCount + "]");
        }
        if (secretLength < 1 || secretLength > MAX_SECRET_LENGTH) {
            throw new IllegalArgumentException("secret length " + secretLength + " is invalid: must be in [1, "
                    + MAX_SECRET_LENGTH + "]");
        }
        if (schemeVersion != SCHEME_VERSION) {
            throw new IllegalArgumentException("scheme version " + schemeVersion + " is not supported: must be "
                    + SCHEME_VERSION);
        }
    }

    /** Parameters of the current scheme version. */
    public static SharingParameters of(int threshold, int shareCount, int secretLength) {
        return new SharingParameters(threshold, shareCount, secretLength, SCHEME_VERSION);
    }
}
