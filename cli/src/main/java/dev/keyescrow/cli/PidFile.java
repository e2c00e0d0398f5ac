package dev.keyescrow.cli;

import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Writes this process's id to a file, so whoever started it in the background (through
 * {@code setsid}, which may fork) knows which process to stop. Private (0600) like every
 * file of a member.
 */
final class PidFile {
    private PidFile() {
    }

    static void write(Path file) throws IOException {
        if (file == null) {
            return;
        }
        PrivateFiles.replace(file, (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
