package dev.keyescrow.coordinator;

/**
 * Named points where a crash test can stop the coordinator as {@code kill -9} would: when the
 * environment variable {@value #VARIABLE} names the point, the process halts there at once (no
 * shutdown hook, nothing flushed). Unset, every point is a no-op. It grants nothing: whoever
 * sets a process's environment can kill it anyway.
 */
public final class CrashPoints {
    public static final String VARIABLE = "KEYESCROW_CRASH_POINT";
    /** A ceremony journaled its start; no import is published yet. */
    public static final String CEREMONY_STARTED = "ceremony-started";
    /** Every import is published; no receipt is counted yet. */
    public static final String CEREMONY_IMPORTS_PUBLISHED = "ceremony-imports-published";
    /** A request is journaled but not yet published to the cluster. */
    public static final String REQUEST_JOURNALED = "request-journaled";

    private static final String POINT = System.getenv(VARIABLE);

    private CrashPoints() {
    }

    public static void reach(String point) {
        if (point.equals(POINT)) {
            Runtime.getRuntime().halt(137);
        }
    }
}
