package dev.keyescrow.cli.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.cli.Escrow;
import dev.keyescrow.cli.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the real {@code escrow} command in this JVM and returns its standard output; a non-zero exit fails. */
final class EscrowRun {
    private EscrowRun() {
    }

    /** Runs it and returns the exit code, whatever it is (for clean-up). */
    static int exit(String... args) {
        return Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(
                new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), System.err), args);
    }

    static String ok(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        assertEquals(0, exit, String.join(" ", args) + ": " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
