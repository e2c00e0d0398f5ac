package dev.keyescrow.core.sharing;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Identifies one split, so that shares of different splits are refused before any
 * interpolation. Eight random bytes, written as 16 lowercase hex digits. Public.
 */
public record SplitId(String hex) {
    public static final int LENGTH_BYTES = 8;
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{16}");

    public SplitId {
        Objects.requireNonNull(hex, "hex");
        if (!FORMAT.matcher(hex).matches()) {
            throw new IllegalArgumentException("split id must be 16 lowercase hex digits");
        }
    }

    public static SplitId copyFrom(byte[] bytes) {
        if (bytes.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("split id must be " + LENGTH_BYTES + " bytes, got " + bytes.length);
        }
        return new SplitId(HexFormat.of().formatHex(bytes));
    }

    @Override
    public String toString() {
        return hex;
    }
}
