package dev.keyescrow.cli;

import dev.keyescrow.journal.files.ExposedFileException;
import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.journal.files.PrivatePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The start-up check of a member command ({@code node|coordinator start|fingerprint}): its
 * configuration and every file its configuration names as private (state directory, TLS
 * key, PIN or passphrase file, development vault) must not be open to other users.
 */
final class MemberFiles {
    private MemberFiles() {
    }

    /**
     * Prints the refusal and returns false if one of the files is open to others; nothing has
     * been opened or created when it does.
     */
    static boolean privateOrRefused(Terminal terminal, String command, Path config, List<PrivatePath> named)
            throws IOException {
        List<PrivatePath> paths = new ArrayList<>();
        paths.add(new PrivatePath("configuration", config));
        paths.addAll(named);
        try {
            PrivateFiles.requirePrivate(paths);
            return true;
        } catch (ExposedFileException e) {
            terminal.err().println("escrow " + command + ": " + e.getMessage());
            return false;
        }
    }
}
