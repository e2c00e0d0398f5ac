package dev.keyescrow.hsm.pkcs11;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a PKCS#11 module library. An explicit path (configuration or the
 * {@code KEYESCROW_PKCS11_LIBRARY} environment variable) wins; otherwise the usual
 * SoftHSM2 install locations are tried, for development and tests.
 */
public final class Pkcs11Library {
    /** Environment variable naming the module library to load. */
    public static final String ENVIRONMENT_VARIABLE = "KEYESCROW_PKCS11_LIBRARY";

    static final List<Path> SOFTHSM2_LOCATIONS = List.of(
            Path.of("/usr/lib/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so"),
            Path.of("/usr/lib64/pkcs11/libsofthsm2.so"),
            Path.of("/usr/local/lib/softhsm/libsofthsm2.so"),
            Path.of("/opt/homebrew/lib/softhsm/libsofthsm2.so"));

    private Pkcs11Library() {
    }

    /** The library named by the environment, else the first SoftHSM2 install found. */
    public static Optional<Path> locate() {
        String configured = System.getenv(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            return Files.isReadable(path) ? Optional.of(path) : Optional.empty();
        }
        return locateSoftHsm2();
    }

    /** The first readable SoftHSM2 library in the usual install locations. */
    public static Optional<Path> locateSoftHsm2() {
        return SOFTHSM2_LOCATIONS.stream().filter(Files::isReadable).findFirst();
    }
}
