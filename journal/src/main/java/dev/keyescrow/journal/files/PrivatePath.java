package dev.keyescrow.journal.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or directory that must be private to the service user, with what it is (named in
 * a refusal, e.g. "PIN file").
 */
public record PrivatePath(String what, Path path) {
    public PrivatePath {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(path, "path");
    }
}
