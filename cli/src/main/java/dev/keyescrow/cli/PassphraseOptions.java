package dev.keyescrow.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The passphrase of a custodian key file: from an environment variable, a file, or (with
 * neither) {@code ESCROW_PASSPHRASE} or the terminal's prompt.
 */
final class PassphraseOptions {
    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "read the key's passphrase from VAR")
    String environmentVariable;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "read the key's passphrase from FILE")
    Path file;
}
