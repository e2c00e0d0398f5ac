package dev.keyescrow.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow audit verify|show}: checks of the signed journals and of the signatures they keep. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Verify signed journals and the signatures they keep.")
final class AuditCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: verify or show");
    }
}
