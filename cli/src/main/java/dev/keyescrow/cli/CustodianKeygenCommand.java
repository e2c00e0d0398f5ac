package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.KeyFingerprint;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow custodian keygen --id ID --out FILE}: a fresh Ed25519 key, encrypted at rest; prints the public key. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make a custodian's Ed25519 key on this machine, write it encrypted (PKCS#8 PEM, mode 0600)"
                + " and print its public key (base64) for registration."})
final class CustodianKeygenCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--id", required = true, paramLabel = "ID", description = "the custodian's id")
    String id;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the encrypted key")
    Path out;

    @ArgGroup(exclusive = true)
    PassphraseOptions passphrase = new PassphraseOptions();

    CustodianKeygenCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (!Identifiers.isValid(id)) {
            throw new BadInputException("--id must match [a-z0-9][a-z0-9-]{0,63}");
        }
        char[] secret;
        try {
            secret = PassphraseSource.read(passphrase.environmentVariable, passphrase.file,
                    "passphrase for the new key of " + id, true);
        } catch (PassphraseSource.MissingPassphraseException e) {
            throw new BadInputException(e.getMessage());
        }
        SecureRandom random = SecureRandom.getInstance("DRBG");
        try (SecretBytes key = Ed25519.generatePrivateKey(random)) {
            CustodianKeyFile.write(out, key, secret, random);
            byte[] publicKey = Ed25519.publicKeyOf(key);
            terminal.out().println(Base64.getEncoder().encodeToString(publicKey));
            // the form the manifest review and escrow show print: custodians compare one form everywhere
            terminal.err().println("public key SHA-256 " + KeyFingerprint.of(publicKey));
            return ExitCodes.OK;
        } catch (CustodianKeyFile.KeyFileException e) {
            throw new BadInputException(e.getMessage());
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
