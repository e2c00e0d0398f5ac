package dev.keyescrow.cli;

import java.io.PrintStream;
import java.util.Arrays;

/** Writes secret characters (ASCII) to a stream as bytes, without making a String, and wipes the buffer. */
final class SecretOutput {
    private SecretOutput() {
    }

    static void writeLine(PrintStream out, char[] text) {
        byte[] bytes = new byte[text.length + 1];
        for (int i = 0; i < text.length; i++) {
            bytes[i] = (byte) text[i];
        }
        bytes[text.length] = '\n';
        out.write(bytes, 0, bytes.length);
        out.flush();
        Arrays.fill(bytes, (byte) 0);
    }
}
