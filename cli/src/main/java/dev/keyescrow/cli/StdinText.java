package dev.keyescrow.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads secret text from stdin as characters, never as a {@code String}, and splits it into
 * trimmed non-empty lines. Only ASCII is expected (hex, share text); other bytes become
 * U+FFFD so they are refused by the decoders.
 */
final class StdinText {
    private StdinText() {
    }

    static List<char[]> readLines(InputStream in, int maxBytes) throws IOException, BadInputException {
        byte[] raw = readAll(in, maxBytes);
        try {
            List<char[]> lines = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= raw.length; i++) {
                if (i == raw.length || raw[i] == '\n') {
                    int from = start;
                    int to = i;
                    while (from < to && isSpace(raw[from])) {
                        from++;
                    }
                    while (to > from && isSpace(raw[to - 1])) {
                        to--;
                    }
                    if (to > from) {
                        char[] line = new char[to - from];
                        for (int k = 0; k < line.length; k++) {
                            byte b = raw[from + k];
                            line[k] = b >= 0 ? (char) b : '\ufffd';
                        }
                        lines.add(line);
                    }
                    start = i + 1;
                }
            }
            return lines;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    static void wipe(List<char[]> lines) {
        lines.forEach(line -> Arrays.fill(line, '\0'));
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private static byte[] readAll(InputStream in, int maxBytes) throws IOException, BadInputException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int total = 0;
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                total += n;
                if (total > maxBytes) {
                    throw new BadInputException("input is larger than " + maxBytes + " bytes");
                }
                buffer.write(chunk, 0, n);
            }
            return buffer.toByteArray();
        } finally {
            Arrays.fill(chunk, (byte) 0);
            // ByteArrayOutputStream cannot be wiped in place; overwrite its buffer through reset + zero writes
            int size = buffer.size();
            buffer.reset();
            buffer.write(new byte[size], 0, size);
        }
    }
}
