package dev.keyescrow.cli;

import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.GroupParameters;
import dev.keyescrow.core.slip39.MnemonicShare;
import dev.keyescrow.core.slip39.Passphrase;
import dev.keyescrow.core.slip39.ShareHeader;
import dev.keyescrow.core.slip39.Slip39;
import dev.keyescrow.core.slip39.SplitParameters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow paper split}: a secret as hex on stdin, SLIP-0039 mnemonics on stdout, grouped and
 * numbered so each card can be copied by hand and handed to its holder.
 */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Reads a secret as hex on stdin (16 to 64 bytes, an even number) and prints SLIP-0039"
                + " mnemonic shares, grouped and numbered, one card per line.",
            "Any G of the groups recover the secret; a group is recovered from T of its N members.",
            "Example: --group-threshold 2 --group 2-of-3 --group 1-of-1 --group 3-of-5."})
final class PaperSplitCommand implements Callable<Integer> {
    /** Longer secrets make mnemonics of 60 words and more: too long to copy by hand reliably. */
    static final int MAX_SECRET_LENGTH = 64;

    private final Terminal terminal;
    private final Slip39 slip39;

    @Option(names = "--group-threshold", paramLabel = "G", defaultValue = "1",
            description = "groups needed to recover (1..number of groups; default ${DEFAULT-VALUE})")
    int groupThreshold;

    @Option(names = "--group", required = true, paramLabel = "T-of-N",
            description = "a group of N members, T of whom recover it (repeat for each group, at most 16;"
                    + " 1 <= T <= N <= 16, and 1-of-N only as 1-of-1)")
    List<String> groups;

    @Option(names = "--iteration-exponent", paramLabel = "E", defaultValue = "1",
            description = "PBKDF2 runs 10000 x 2^E iterations (0..15; default ${DEFAULT-VALUE}); each step doubles"
                    + " the cost of guessing the passphrase, and of recovery")
    int iterationExponent;

    @Option(names = "--extendable", description = "mark the backup extendable: more share sets of the same secret"
            + " and passphrase can be made later")
    boolean extendable;

    @ArgGroup(exclusive = true)
    PaperCommand.PassphraseOptions passphrase = new PaperCommand.PassphraseOptions();

    PaperSplitCommand(Terminal terminal, Slip39 slip39) {
        this.terminal = terminal;
        this.slip39 = slip39;
    }

    @Override
    public Integer call() throws Exception {
        SplitParameters parameters = parameters();
        List<char[]> lines = StdinText.readLines(terminal.in(), 4 * MAX_SECRET_LENGTH + 64);
        try (Passphrase key = passphrase.read()) {
            if (lines.size() != 1) {
                throw new BadInputException("expected the secret as one line of hex on stdin, got " + lines.size()
                        + " lines");
            }
            char[] hex = lines.get(0);
            if (hex.length > 2 * MAX_SECRET_LENGTH) {
                throw new BadInputException("secret is longer than " + MAX_SECRET_LENGTH + " bytes");
            }
            SecretBytes secret;
            try {
                secret = SecretHex.decode(hex);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("secret must be hex: " + e.getMessage());
            }
            try (secret) {
                if (secret.length() < MnemonicShare.MIN_VALUE_LENGTH || secret.length() % 2 != 0) {
                    throw new BadInputException("secret has " + secret.length() + " bytes: SLIP-0039 needs an even"
                            + " number of bytes, at least " + MnemonicShare.MIN_VALUE_LENGTH);
                }
                print(slip39.split(secret, parameters, key), parameters);
            }
            return ExitCodes.OK;
        } finally {
            StdinText.wipe(lines);
        }
    }

    private SplitParameters parameters() throws BadInputException {
        if (groups.size() > ShareHeader.MAX_COUNT) {
            throw new BadInputException(groups.size() + " groups were given: SLIP-0039 allows at most "
                    + ShareHeader.MAX_COUNT);
        }
        List<GroupParameters> parsed = new ArrayList<>();
        for (String group : groups) {
            try {
                parsed.add(GroupParameters.parse(group));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--group " + group + ": " + e.getMessage());
            }
        }
        try {
            return new SplitParameters(groupThreshold, parsed, iterationExponent, extendable);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    private void print(List<List<MnemonicShare>> shares, SplitParameters parameters) {
        try {
            println("# SLIP-0039 paper backup: any " + parameters.groupThreshold() + " of the " + shares.size()
                    + " groups recover the secret");
            for (int g = 0; g < shares.size(); g++) {
                GroupParameters group = parameters.groups().get(g);
                println("");
                println("group " + (g + 1) + " of " + shares.size() + " (" + group.memberThreshold() + " of "
                        + group.memberCount() + " needed)");
                List<MnemonicShare> members = shares.get(g);
                for (int m = 0; m < members.size(); m++) {
                    char[] prefix = ("share " + (m + 1) + ": ").toCharArray();
                    char[] mnemonic = members.get(m).toMnemonic();
                    char[] line = Arrays.copyOf(prefix, prefix.length + mnemonic.length);
                    System.arraycopy(mnemonic, 0, line, prefix.length, mnemonic.length);
                    SecretOutput.writeLine(terminal.out(), line);
                    Arrays.fill(mnemonic, '\0');
                    Arrays.fill(line, '\0');
                }
            }
        } finally {
            shares.forEach(group -> group.forEach(MnemonicShare::destroy));
        }
    }

    private void println(String publicText) {
        byte[] bytes = (publicText + "\n").getBytes(StandardCharsets.US_ASCII);
        terminal.out().write(bytes, 0, bytes.length);
        terminal.out().flush();
    }
}
