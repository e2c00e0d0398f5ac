package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow bench}: load generators that measure a running system (not tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the system under load; figures go to docs/performance.md.")
final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: quorum or scale");
    }
}
