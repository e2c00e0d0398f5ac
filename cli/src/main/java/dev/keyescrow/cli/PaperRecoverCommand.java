package dev.keyescrow.cli;

import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.MnemonicShare;
import dev.keyescrow.core.slip39.Passphrase;
import dev.keyescrow.core.slip39.Slip39;
import dev.keyescrow.core.slip39.Slip39Exception;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow paper recover}: SLIP-0039 mnemonics on stdin, one per line, the master secret as
 * hex on stdout. Accepts what {@code paper split} prints, so a transcript can be typed back as
 * it is: blank lines, lines starting with {@code #}, and {@code group N ...} heading lines are
 * skipped, and a {@code share N:} prefix is dropped. Words may be in any case, separated by any
 * spaces or tabs.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Reads SLIP-0039 mnemonics on stdin, one per line, and prints the secret as hex.",
            "Skipped: blank lines, lines starting with '#', and 'group N ...' headings; a 'share N:' prefix is"
                    + " dropped. Give exactly the needed groups and, in each, exactly the needed members.",
            "A wrong passphrase is not detected: it gives a different secret. Check the key check value:"
                    + " standard error shows it, with the algorithm and length (--algorithm names the key's"
                    + " algorithm; without it, the KCV under each algorithm a 32-byte key can have).",
            "A passphrase option is required: --passphrase-env, --passphrase-file, or --no-passphrase for the"
                    + " empty one.",
            "Any error: a message on stderr naming the problem, exit 2."})
final class PaperRecoverCommand implements Callable<Integer> {
    /** 16 groups of 16 members of 64-byte shares (59 words of at most 9 characters), with room to spare. */
    private static final int MAX_INPUT = 1 << 20;

    private final Terminal terminal;

    @ArgGroup(exclusive = true)
    PaperCommand.PassphraseOptions passphrase = new PaperCommand.PassphraseOptions();

    @Option(names = "--algorithm", paramLabel = "ALG",
            description = "the key's algorithm (AES-256, EC-P256 or ED25519), for its KCV on stderr")
    String algorithm;

    PaperRecoverCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (!passphrase.given()) {
            // an empty passphrase and a forgotten option give a key alike: the choice is said aloud
            throw new BadInputException("no passphrase option: give --passphrase-env VAR or --passphrase-file FILE,"
                    + " or --no-passphrase if the cards were made without one");
        }
        KeyAlgorithm keyAlgorithm = null;
        if (algorithm != null) {
            try {
                keyAlgorithm = KeyAlgorithm.fromWireName(algorithm);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("--algorithm: " + e.getMessage());
            }
        }
        List<char[]> lines = StdinText.readLines(terminal.in(), MAX_INPUT);
        List<MnemonicShare> shares = new ArrayList<>();
        try (Passphrase key = passphrase.read()) {
            for (int i = 0; i < lines.size(); i++) {
                char[] line = lines.get(i);
                if (isHeading(line)) {
                    continue;
                }
                char[] mnemonic = Arrays.copyOfRange(line, sharePrefixLength(line), line.length);
                try {
                    shares.add(MnemonicShare.parse(mnemonic));
                } catch (Slip39Exception e) {
                    throw new BadInputException("line " + (i + 1) + ": " + PaperCommand.describe(e));
                } finally {
                    Arrays.fill(mnemonic, '\0');
                }
            }
            if (shares.isEmpty()) {
                throw new BadInputException("no mnemonics on stdin: give one mnemonic per line");
            }
            try (SecretBytes secret = Slip39.recover(shares, key)) {
                String check = keyAlgorithm == null ? RecoveredKeyCheck.linesForEveryAlgorithm(secret)
                        : RecoveredKeyCheck.line(keyAlgorithm, secret);
                char[] hex = SecretHex.encode(secret);
                SecretOutput.writeLine(terminal.out(), hex);
                Arrays.fill(hex, '\0');
                for (String line : check.split("\n")) {
                    terminal.err().println("recovered key: " + line);
                }
            } catch (Slip39Exception e) {
                throw new BadInputException(PaperCommand.describe(e));
            }
            return ExitCodes.OK;
        } finally {
            shares.forEach(MnemonicShare::destroy);
            StdinText.wipe(lines);
        }
    }

    /** A comment, or a heading "group N ..." ("group" is a SLIP-0039 word, but never followed by a digit). */
    static boolean isHeading(char[] line) {
        if (line[0] == '#') {
            return true;
        }
        return startsWithWord(line, "group") && line.length > 6 && line[5] == ' ' && Character.isDigit(line[6]);
    }

    /** The length of a leading "share N:" (and the spaces after it), or 0. */
    static int sharePrefixLength(char[] line) {
        if (!startsWithWord(line, "share")) {
            return 0;
        }
        int i = 5;
        while (i < line.length && line[i] == ' ') {
            i++;
        }
        int digits = i;
        while (i < line.length && Character.isDigit(line[i])) {
            i++;
        }
        if (i == digits || i >= line.length || line[i] != ':') {
            return 0;
        }
        i++;
        while (i < line.length && (line[i] == ' ' || line[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean startsWithWord(char[] line, String word) {
        if (line.length < word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (Character.toLowerCase(line[k]) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
