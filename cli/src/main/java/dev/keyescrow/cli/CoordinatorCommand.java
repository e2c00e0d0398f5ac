package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow coordinator}: run the coordinator, or print its key fingerprint for the nodes to pin. */
@Command(name = "coordinator", mixinStandardHelpOptions = true,
        description = "Run the coordinator or show the fingerprint of its key.")
final class CoordinatorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start or fingerprint");
    }
}
