package dev.keyescrow.cli.custodian;

import java.io.Console;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Asks a person for a passphrase on their terminal. {@link System#console()} exists only when
 * both stdin and stdout are the terminal, so in a pipeline such as
 * {@code escrow export recover ... | escrow paper split ...} neither side could prompt; this
 * falls back to the controlling terminal, {@code /dev/tty}, with echo switched off by {@code stty}.
 */
final class TtyPrompt {
    private static final File TTY = new File("/dev/tty");
    private static final int MAX_LINE = 4096;

    private TtyPrompt() {
    }

    /** Whether some terminal can be prompted on. */
    static boolean available() {
        return System.console() != null || ttyOpens();
    }

    /** Shows {@code prompt} and reads one line without echo; the caller zeroes the result. */
    static char[] readPassword(String prompt) throws IOException {
        Console console = System.console();
        if (console != null) {
            char[] line = console.readPassword("%s: ", prompt);
            if (line == null) {
                throw new IOException("the terminal closed before a passphrase was typed");
            }
            return line;
        }
        try (FileInputStream in = new FileInputStream(TTY); FileOutputStream out = new FileOutputStream(TTY)) {
            stty("-echo"); // before the prompt, so nothing typed after it can echo
            try {
                out.write((prompt + ": ").getBytes(StandardCharsets.UTF_8));
                out.flush();
                return readLine(in);
            } finally {
                stty("echo");
                out.write('\n');
                out.flush();
            }
        }
    }

    private static boolean ttyOpens() {
        try (FileInputStream ignored = new FileInputStream(TTY)) {
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static char[] readLine(FileInputStream in) throws IOException {
        byte[] raw = new byte[MAX_LINE];
        try {
            int length = 0;
            for (int b; (b = in.read()) != -1 && b != '\n'; ) {
                if (b == '\r') {
                    continue;
                }
                if (length == MAX_LINE) {
                    throw new IOException("the passphrase line is longer than " + MAX_LINE + " bytes");
                }
                raw[length++] = (byte) b;
            }
            CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw, 0, length));
            char[] line = new char[decoded.remaining()];
            decoded.get(line);
            if (decoded.hasArray()) {
                Arrays.fill(decoded.array(), '\0');
            }
            return line;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static void stty(String setting) throws IOException {
        try {
            new ProcessBuilder("stty", setting)
                    .redirectInput(TTY)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the terminal", e);
        }
    }
}
