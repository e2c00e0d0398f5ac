package dev.keyescrow.cli;

import dev.keyescrow.core.error.ShareTextException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.format.ShareText;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code escrow shamir combine}: share texts on stdin (one per line), the secret as hex on stdout. */
@Command(name = "combine", mixinStandardHelpOptions = true,
        description = {"Reads kes1 share texts on stdin, one per line, and prints the secret as hex.",
            "Fewer shares than the threshold is an error, never a wrong secret."})
final class ShamirCombineCommand implements Callable<Integer> {
    /** 255 shares of 64 KiB in text form, with room for line ends. */
    private static final int MAX_INPUT = 255 * (2 * 65536 + 64);

    private final Terminal terminal;

    ShamirCombineCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        List<char[]> lines = StdinText.readLines(terminal.in(), MAX_INPUT);
        List<Share> shares = new ArrayList<>();
        try {
            if (lines.isEmpty()) {
                throw new BadInputException("no shares on stdin: give one share per line");
            }
            for (int i = 0; i < lines.size(); i++) {
                try {
                    shares.add(ShareText.decode(lines.get(i)));
                } catch (ShareTextException e) {
                    throw new BadInputException("share on line " + (i + 1) + ": " + e.getMessage());
                }
            }
            try (SecretBytes secret = Shamir.combine(shares)) {
                char[] hex = SecretHex.encode(secret);
                SecretOutput.writeLine(terminal.out(), hex);
                Arrays.fill(hex, '\0');
            } catch (SharingException e) {
                throw new BadInputException(e.getMessage());
            }
            return ExitCodes.OK;
        } finally {
            shares.forEach(Share::destroy);
            StdinText.wipe(lines);
        }
    }
}
