package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.slip39.Passphrase;
import dev.keyescrow.core.slip39.Slip39;
import dev.keyescrow.core.slip39.Slip39Exception;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code escrow paper}: SLIP-0039 paper backups, made and read on an offline machine. The last
 * line of recovery when the whole cluster is lost: a key becomes word cards held by people, in a
 * published format that other tools can read too.
 */
@Command(name = "paper", mixinStandardHelpOptions = true,
        description = {"SLIP-0039 paper backups: split a secret into mnemonic word cards, or recover it from them.",
            "Run on an offline machine: the secret and the cards pass through this process in the clear."})
final class PaperCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** The {@code paper} command with its subcommands, splitting with the JDK's DRBG. */
    static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new PaperCommand())
                .addSubcommand(new PaperSplitCommand(terminal, Slip39.withDrbg()))
                .addSubcommand(new PaperRecoverCommand(terminal));
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: split or recover");
    }

    /** A refusal from the core as one line: the reason in words, then what is wrong. */
    static String describe(Slip39Exception e) {
        return e.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + e.getMessage();
    }

    /**
     * The SLIP-0039 passphrase: from an environment variable, a file, or (for tests and
     * throw-away secrets) the command line; {@code --no-passphrase} names the empty one, the
     * standard's default. Never prompted for: an empty answer and a forgotten one look alike.
     */
    static final class PassphraseOptions {
        @Option(names = "--no-passphrase", description = "use the empty passphrase (the SLIP-0039 default)")
        boolean none;

        @Option(names = "--passphrase", paramLabel = "P",
                description = "the passphrase itself; visible to other users in the process list, so only for"
                        + " tests: prefer --passphrase-env or --passphrase-file")
        String value;

        @Option(names = "--passphrase-env", paramLabel = "VAR", description = "read the passphrase from VAR")
        String environmentVariable;

        @Option(names = "--passphrase-file", paramLabel = "FILE",
                description = "read the passphrase from FILE (trailing line ends are ignored)")
        Path file;

        /** Whether one of the options was given (the empty passphrase counts only as --no-passphrase). */
        boolean given() {
            return none || value != null || environmentVariable != null || file != null;
        }

        /** The passphrase; the caller closes it. Printable ASCII only, as SLIP-0039 requires. */
        Passphrase read() throws BadInputException {
            if (!given() || none) {
                return Passphrase.empty();
            }
            char[] chars;
            if (value != null) {
                chars = value.toCharArray();
            } else {
                try {
                    chars = PassphraseSource.read(environmentVariable, file, "passphrase", false);
                } catch (PassphraseSource.MissingPassphraseException e) {
                    throw new BadInputException(e.getMessage());
                } catch (IOException e) {
                    throw new BadInputException("cannot read the passphrase file " + file + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            try {
                return Passphrase.copyOf(chars);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage());
            } finally {
                Arrays.fill(chars, '\0');
            }
        }
    }
}
