package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.KeyFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow custodian rewrap --in OLD --out NEW}: the same key in a new file, written with
 * today's parameters (PBKDF2-HMAC-SHA256, 600,000 iterations, the seed alone so OpenSSL opens it).
 * Files of earlier versions use HMAC-SHA1 with 2,048 iterations; the old file is left for the
 * custodian to destroy once the new one is checked.
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
        description = {"Write a custodian key file again with today's encryption (and optionally a new passphrase);"
                + " prints the public key, which must be the one registered."})
final class CustodianRewrapCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--in", required = true, paramLabel = "FILE", description = "the key file to read")
    Path in;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the new key file (must not exist)")
    Path out;

    @ArgGroup(exclusive = true)
    PassphraseOptions passphrase = new PassphraseOptions();

    @ArgGroup(exclusive = true)
    NewPassphrase newPassphrase = new NewPassphrase();

    /** Where the new file's passphrase comes from; with neither option, the old passphrase is kept. */
    static final class NewPassphrase {
        @Option(names = "--new-passphrase-env", paramLabel = "VAR", description = "the new file's passphrase from VAR")
        String environmentVariable;

        @Option(names = "--new-passphrase-file", paramLabel = "FILE",
                description = "the new file's passphrase from FILE")
        Path file;

        @Option(names = "--new-passphrase-prompt", description = "ask for a new passphrase at the terminal")
        boolean prompt;
    }

    CustodianRewrapCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize()) || Files.exists(out)) {
            throw new BadInputException(out + " exists; the new file must be a new path (keep the old one until the"
                    + " new one is checked)");
        }
        char[] old = null;
        char[] fresh = null;
        try {
            old = PassphraseSource.read(passphrase.environmentVariable, passphrase.file, "passphrase of " + in, false);
            boolean keep = newPassphrase.environmentVariable == null && newPassphrase.file == null
                    && !newPassphrase.prompt;
            if (keep) {
                fresh = old.clone();
            } else if (newPassphrase.prompt) {
                fresh = PassphraseSource.prompt("new passphrase for " + out, true);
            } else {
                fresh = PassphraseSource.read(newPassphrase.environmentVariable, newPassphrase.file, "", false);
            }
            SecureRandom random = SecureRandom.getInstance("DRBG");
            try (SecretBytes key = CustodianKeyFile.read(in, old)) {
                CustodianKeyFile.write(out, key, fresh, random);
                byte[] publicKey = Ed25519.publicKeyOf(key);
                terminal.out().println(Base64.getEncoder().encodeToString(publicKey));
                terminal.err().println("wrote " + out + " (PBKDF2-HMAC-SHA256, " + CustodianKeyFile.PBKDF2_ITERATIONS
                        + " iterations, AES-256-CBC); public key SHA-256 " + KeyFingerprint.of(publicKey)
                        + ": compare it with the registered one, then destroy " + in);
            }
            return ExitCodes.OK;
        } catch (PassphraseSource.MissingPassphraseException | CustodianKeyFile.KeyFileException e) {
            throw new BadInputException(e.getMessage());
        } finally {
            if (old != null) {
                Arrays.fill(old, '\0');
            }
            if (fresh != null) {
                Arrays.fill(fresh, '\0');
            }
        }
    }
}
