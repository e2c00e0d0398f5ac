package dev.keyescrow.hsm.software;

/**
 * Capability required to open or provision the development vault. It grants nothing by
 * itself; it makes the choice explicit at the call site (the node's {@code --dev} path),
 * so {@code grep DevelopmentMode} lists every place a software vault can come into being.
 */
public final class DevelopmentMode {
    private static final DevelopmentMode ENABLED = new DevelopmentMode();

    private DevelopmentMode() {
    }

    /** For code that runs only when development mode was explicitly asked for. */
    public static DevelopmentMode explicitlyEnabled() {
        return ENABLED;
    }
}
