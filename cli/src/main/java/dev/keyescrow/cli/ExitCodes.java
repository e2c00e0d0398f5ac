package dev.keyescrow.cli;

/** Exit codes of every {@code escrow} command (design: command line). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    private ExitCodes() {
    }
}
