package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow node}: run a custodian node, or print its key fingerprints for enrolment. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a custodian node, show its fingerprints, or enrol it with the coordinator.")
final class NodeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: start, fingerprint or enrol");
    }
}
