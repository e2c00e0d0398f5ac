package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow custodian}: a custodian's own key. */
@Command(name = "custodian", mixinStandardHelpOptions = true, description = "Manage a custodian's own key.")
final class CustodianCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: keygen");
    }
}
