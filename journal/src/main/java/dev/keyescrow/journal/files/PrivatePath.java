package dev.keyescrow.journal.files;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * What a member (node or coordinator) must keep private, checked before it opens anything:
     * its state directory, its TLS private key if any, and the secret files its token names.
     */
    public static List<PrivatePath> ofMember(Path stateDirectory, Path tlsPrivateKey, Map<String, Path> tokenSecrets) {
        List<PrivatePath> paths = new ArrayList<>();
        paths.add(new PrivatePath("state directory", stateDirectory));
        if (tlsPrivateKey != null) {
            paths.add(new PrivatePath("TLS private key", tlsPrivateKey));
        }
        tokenSecrets.forEach((what, path) -> paths.add(new PrivatePath(what, path)));
        return paths;
    }
}
