package dev.keyescrow.cli.custodian;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where a passphrase comes from: an environment variable, a file, or the terminal's prompt
 * (never a command-line value, which other users can read from the process list). Without
 * an option it uses {@value #DEFAULT_VARIABLE} if set, then the terminal's prompt; without a
 * terminal either, it refuses rather than hang.
 */
public final class PassphraseSource {
    /** The environment variable read when no source is named. */
    public static final String DEFAULT_VARIABLE = "ESCROW_PASSPHRASE";

    private PassphraseSource() {
    }

    /** Thrown when no passphrase can be had; the message says how to give one. */
    public static final class MissingPassphraseException extends Exception {
        MissingPassphraseException(String message) {
            super(message);
        }
    }

    /** Reads the passphrase; the caller zeroes it. */
    public static char[] read(String environmentVariable, Path file, String prompt, boolean confirm)
            throws IOException, MissingPassphraseException {
        if (environmentVariable != null) {
            String value = System.getenv(environmentVariable);
            if (value == null || value.isEmpty()) {
                throw new MissingPassphraseException("environment variable " + environmentVariable + " is not set");
            }
            return value.toCharArray();
        }
        if (file != null) {
            byte[] raw = Files.readAllBytes(file);
            int end = raw.length;
            while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
                end--;
            }
            java.nio.CharBuffer decoded = java.nio.charset.StandardCharsets.UTF_8.decode(
                    java.nio.ByteBuffer.wrap(raw, 0, end));
            char[] out = new char[decoded.remaining()];
            decoded.get(out);
            if (decoded.hasArray()) {
                Arrays.fill(decoded.array(), '\0');
            }
            Arrays.fill(raw, (byte) 0);
            if (out.length == 0) {
                throw new MissingPassphraseException("the passphrase file " + file + " is empty");
            }
            return out;
        }
        String fallback = System.getenv(DEFAULT_VARIABLE);
        if (fallback != null && !fallback.isEmpty()) {
            return fallback.toCharArray();
        }
        if (!TtyPrompt.available()) {
            throw new MissingPassphraseException("no passphrase: give --passphrase-env VAR or --passphrase-file FILE,"
                    + " or set " + DEFAULT_VARIABLE + " (no terminal to prompt on)");
        }
        return prompt(prompt, confirm);
    }

    /** Asks at the terminal only (never the environment), typed twice when {@code confirm}. */
    public static char[] prompt(String prompt, boolean confirm) throws IOException, MissingPassphraseException {
        if (!TtyPrompt.available()) {
            throw new MissingPassphraseException("no terminal to ask for the passphrase on");
        }
        char[] first = TtyPrompt.readPassword(prompt);
        if (confirm) {
            char[] again = TtyPrompt.readPassword("again");
            boolean same = Arrays.equals(first, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(first, '\0');
                throw new MissingPassphraseException("the two passphrases differ");
            }
        }
        return first;
    }
}
