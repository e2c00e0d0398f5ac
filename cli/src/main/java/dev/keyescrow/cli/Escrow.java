package dev.keyescrow.cli;

import dev.keyescrow.core.sharing.Shamir;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;

/** Entry point of the runnable jar: builds the command tree and maps outcomes to exit codes. */
public final class Escrow {
    private Escrow() {
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs {@code escrow args} against {@code terminal} and returns the exit code. */
    public static int run(Terminal terminal, String... args) {
        return commandLine(terminal).execute(args);
    }

    static CommandLine commandLine(Terminal terminal) {
        CommandLine shamir = new CommandLine(new ShamirCommand())
                .addSubcommand(new ShamirSplitCommand(terminal, Shamir.withDrbg()))
                .addSubcommand(new ShamirCombineCommand(terminal));
        CommandLine node = new CommandLine(new NodeCommand())
                .addSubcommand(new NodeStartCommand(terminal))
                .addSubcommand(new NodeFingerprintCommand(terminal))
                .addSubcommand(new NodeEnrolCommand(terminal));
        CommandLine escrow = new CommandLine(new EscrowCommand(terminal))
                .addSubcommand(shamir)
                .addSubcommand(node)
                .addSubcommand(new CommandLine(new CoordinatorCommand())
                        .addSubcommand(new CoordinatorStartCommand(terminal))
                        .addSubcommand(new CoordinatorFingerprintCommand(terminal)))
                .addSubcommand(new CommandLine(new AuditCommand()).addSubcommand(new AuditVerifyCommand(terminal))
                        .addSubcommand(new AuditShowCommand()))
                .addSubcommand(PaperCommand.commandLine(terminal))
                .addSubcommand(new CommandLine(new ClusterCommand())
                        .addSubcommand(new ClusterStartCommand(terminal))
                        .addSubcommand(new ClusterStopCommand(terminal))
                        .addSubcommand(new ClusterStatusCommand(terminal))
                        .addSubcommand(new ClusterUrlCommand(terminal)))
                .addSubcommand(new CommandLine(new BenchCommand()).addSubcommand(new BenchQuorumCommand(terminal))
                        .addSubcommand(new BenchScaleCommand(terminal)))
                .addSubcommand(new KeyCommands())
                .addSubcommand(new RequestCommands())
                .addSubcommand(new SessionCommands())
                .addSubcommand(new CustodiansCommands())
                .addSubcommand(new ExportCommands())
                .addSubcommand(new StatusCommand())
                .addSubcommand(new CommandLine(new CustodianCommand())
                        .addSubcommand(new CustodianKeygenCommand(terminal))
                        .addSubcommand(new CustodianRewrapCommand(terminal)))
                .addSubcommand(new RequestsCommand(terminal))
                .addSubcommand(new ShowCommand(terminal))
                .addSubcommand(new ApproveCommand(terminal))
                .addSubcommand(new CountersignCommand(terminal))
                .addSubcommand(new DemoCommand(terminal))
                .addSubcommand(new ChaosCommand(terminal))
                .addSubcommand("completion", new AutoComplete.GenerateCompletion());
        escrow.getSubcommands().get("completion").getCommandSpec().usageMessage().hidden(false);
        escrow.setOut(new java.io.PrintWriter(terminal.out(), true));
        escrow.setErr(new java.io.PrintWriter(terminal.err(), true));
        escrow.setExecutionExceptionHandler(exceptionHandler(terminal));
        return escrow;
    }

    private static IExecutionExceptionHandler exceptionHandler(Terminal terminal) {
        return (exception, commandLine, parseResult) -> {
            if (exception instanceof BadInputException) {
                terminal.err().println(commandLine.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            // the class name only: a message of an unexpected exception is not known to be free of secrets
            terminal.err().println(commandLine.getCommandSpec().qualifiedName() + ": failed ("
                    + exception.getClass().getSimpleName() + ")");
            return ExitCodes.FAILURE;
        };
    }
}
