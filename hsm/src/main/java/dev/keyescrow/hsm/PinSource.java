package dev.keyescrow.hsm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a token PIN or vault passphrase comes from: an environment variable or a file,
 * never the configuration file itself. Only the source is kept; the secret is read when
 * needed into a {@code char[]} that the caller zeroes. A trailing newline in a file is
 * dropped. {@link #toString()} names the source, never the secret.
 */
public final class PinSource {
    private final String environmentVariable;
    private final Path file;

    private PinSource(String environmentVariable, Path file) {
        this.environmentVariable = environmentVariable;
        this.file = file;
    }

    public static PinSource fromEnvironment(String variable) {
        return new PinSource(Objects.requireNonNull(variable, "variable"), null);
    }

    public static PinSource fromFile(Path file) {
        return new PinSource(null, Objects.requireNonNull(file, "file"));
    }

    /**
     * Reads the secret. The caller owns the array and must zero it.
     *
     * @throws TokenFailureException if the variable is unset or the file unreadable or empty
     */
    public char[] read() throws TokenFailureException {
        if (environmentVariable != null) {
            String value = System.getenv(environmentVariable);
            if (value == null || value.isEmpty()) {
                throw new TokenFailureException("environment variable " + environmentVariable + " is not set");
            }
            return value.toCharArray();
        }
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenFailureException("cannot read the PIN file " + file.getFileName());
        }
        try {
            int end = raw.length;
            while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r')) {
                end--;
            }
            if (end == 0) {
                throw new TokenFailureException("the PIN file " + file.getFileName() + " is empty");
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(raw, 0, end));
            char[] out = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return out;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** The file the secret is read from; empty when it comes from an environment variable. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    @Override
    public String toString() {
        return environmentVariable != null ? "PinSource[env " + environmentVariable + "]"
                : "PinSource[file " + file.getFileName() + "]";
    }
}
