package dev.keyescrow.cli;

import java.io.InputStream;
import java.io.PrintStream;

/** The streams a command talks through; injected so tests run commands in-process. */
public record Terminal(InputStream in, PrintStream out, PrintStream err) {
    public static Terminal system() {
        return new Terminal(System.in, System.out, System.err);
    }
}
