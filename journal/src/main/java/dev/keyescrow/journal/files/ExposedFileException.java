package dev.keyescrow.journal.files;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file or directory that must be private to the service user can be opened by its group
 * or by others. The message names the path, its mode and the {@code chmod} that fixes it.
 */
public final class ExposedFileException extends IOException {
    private final transient Path path;
    private final String fix;

    ExposedFileException(String what, Path path, String mode, String fix) {
        super(what + " '" + path + "' is open to other users (mode " + mode + "): it must be private to the user"
                + " that runs this service. Fix: " + fix);
        this.path = path;
        this.fix = fix;
    }

    /** The file or directory that others can open. */
    public Path path() {
        return path;
    }

    /** The command that makes it private, e.g. {@code chmod 600 '/srv/escrow/pin'}. */
    public String fix() {
        return fix;
    }
}
