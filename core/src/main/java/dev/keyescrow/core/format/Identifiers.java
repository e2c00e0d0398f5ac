package dev.keyescrow.core.format;

import java.util.regex.Pattern;

/**
 * Identifiers of custodians, nodes, keys and requests: {@code [a-z0-9][a-z0-9-]{0,63}}, so
 * that no separator (newline, NUL, {@code /}) can hide in them when they are joined into a
 * signed statement.
 */
public final class Identifiers {
    private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    private Identifiers() {
    }

    public static boolean isValid(String id) {
        return id != null && FORMAT.matcher(id).matches();
    }

    /** Returns {@code id}, or throws naming {@code what} if it is not a valid identifier. */
    public static String require(String id, String what) {
        if (!isValid(id)) {
            throw new IllegalArgumentException(what + " must match [a-z0-9][a-z0-9-]{0,63}");
        }
        return id;
    }
}
