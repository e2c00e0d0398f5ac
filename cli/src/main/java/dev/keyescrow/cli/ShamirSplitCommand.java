package dev.keyescrow.cli;

import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.format.ShareText;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow shamir split -t T -n N}: secret as hex on stdin, one share text per line on stdout. */
@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Reads a secret as hex on stdin (1 byte to 64 KiB) and prints N shares in the kes1 text"
                + " form, one per line; any T of them give the secret back."})
final class ShamirSplitCommand implements Callable<Integer> {
    private final Terminal terminal;
    private final Shamir shamir;

    @Option(names = "-t", required = true, paramLabel = "T", description = "threshold: shares needed (2..N)")
    int threshold;

    @Option(names = "-n", required = true, paramLabel = "N", description = "number of shares (T..255)")
    int shareCount;

    ShamirSplitCommand(Terminal terminal, Shamir shamir) {
        this.terminal = terminal;
        this.shamir = shamir;
    }

    @Override
    public Integer call() throws Exception {
        if (shareCount < SharingParameters.MIN_THRESHOLD || shareCount > SharingParameters.MAX_SHARES) {
            throw new BadInputException("-n " + shareCount + " is invalid: the number of shares must be in [2, 255]");
        }
        if (threshold < SharingParameters.MIN_THRESHOLD || threshold > shareCount) {
            throw new BadInputException("-t " + threshold + " is invalid: the threshold must be in [2, N] = [2, "
                    + shareCount + "]");
        }
        List<char[]> lines = StdinText.readLines(terminal.in(), 4 * SharingParameters.MAX_SECRET_LENGTH);
        try {
            if (lines.size() != 1) {
                throw new BadInputException("expected the secret as one line of hex on stdin, got "
                        + lines.size() + " lines");
            }
            char[] hex = lines.get(0);
            if (hex.length > 2 * SharingParameters.MAX_SECRET_LENGTH) {
                throw new BadInputException("secret is longer than 64 KiB");
            }
            SecretBytes secret;
            try {
                secret = SecretHex.decode(hex);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("secret must be hex: " + e.getMessage());
            }
            try (secret) {
                List<Share> shares = shamir.split(secret, threshold, shareCount);
                for (Share share : shares) {
                    char[] text = ShareText.encode(share);
                    SecretOutput.writeLine(terminal.out(), text);
                    Arrays.fill(text, '\0');
                    share.destroy();
                }
            }
            return ExitCodes.OK;
        } finally {
            StdinText.wipe(lines);
        }
    }
}
