package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code escrow} command; on its own it only shows usage. */
@Command(name = "escrow", mixinStandardHelpOptions = true, versionProvider = JarVersion.class,
        description = "KeyEscrow: threshold key escrow with Shamir shares held in custodian HSMs.")
final class EscrowCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** The streams every subcommand talks through (subcommands built by picocli find them here). */
    final Terminal terminal;

    EscrowCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: see 'escrow --help'");
    }
}
