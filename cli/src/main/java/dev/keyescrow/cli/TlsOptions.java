package dev.keyescrow.cli;

import dev.keyescrow.cli.client.TlsTrust;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --ca-file PEM} and {@code --tls-pin sha256:HEX} of every command that calls a
 * coordinator or a node, with {@value #CA_FILE_VARIABLE} and {@value #PIN_VARIABLE}
 * (comma-separated) as defaults: which TLS servers the command trusts ({@link TlsTrust}).
 */
final class TlsOptions {
    static final String CA_FILE_VARIABLE = "ESCROW_CA_FILE";
    static final String PIN_VARIABLE = "ESCROW_TLS_PIN";

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "trust the TLS certificates of this PEM file (a CA or the server's own), not the JVM's"
                    + " default store (default: $" + CA_FILE_VARIABLE + ")")
    Path caFile;

    @Option(names = "--tls-pin", paramLabel = "sha256:HEX",
            description = "accept only a server whose certificate's public key has this SHA-256 (repeatable;"
                    + " without --ca-file the pin alone is trusted; default: $" + PIN_VARIABLE + ")")
    List<String> pins;

    /** The trust these options (or the environment) name; a bad file or pin is the caller's input. */
    TlsTrust trust() throws BadInputException {
        Path file = caFile;
        if (file == null) {
            String variable = System.getenv(CA_FILE_VARIABLE);
            file = variable == null || variable.isBlank() ? null : Path.of(variable.trim());
        }
        List<String> given = pins;
        if (given == null || given.isEmpty()) {
            String variable = System.getenv(PIN_VARIABLE);
            given = variable == null || variable.isBlank() ? List.of()
                    : Arrays.stream(variable.split(",")).filter(p -> !p.isBlank()).toList();
        }
        try {
            return TlsTrust.of(file, given);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }
}
