package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow shamir}: offline split and combine with the core, in the share text form. */
@Command(name = "shamir", mixinStandardHelpOptions = true,
        description = "Split a secret into Shamir shares, or combine shares back, offline.")
final class ShamirCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: split or combine");
    }
}
