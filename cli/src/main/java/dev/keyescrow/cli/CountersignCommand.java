package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.secret.SecretBytes;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow countersign KEY_ID --version V --as ID --key FILE --coordinator URL}: checks the
 * manifest (digest, that it pins your key) and countersigns it; prints what you signed.
 */
@Command(name = "countersign",
        description = "Check a key version's manifest and countersign it with your key.")
final class CountersignCommand implements Callable<Integer> {
    private final Terminal terminal;

    // no standard help mixin: its --version would clash with the contract's --version V
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Parameters(index = "0", paramLabel = "KEY_ID", description = "the key id")
    String keyId;

    @Option(names = "--version", required = true, paramLabel = "V", description = "the key version")
    int version;

    @Option(names = "--as", required = true, paramLabel = "ID", description = "your custodian id")
    String custodianId;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "your encrypted key file")
    Path keyFile;

    @Option(names = "--coordinator", required = true, paramLabel = "URL", description = "the coordinator's URL")
    String coordinator;

    @Option(names = "--coordinator-key", paramLabel = "BASE64",
            description = "the coordinator's pinned public key, to check its signature on the manifest")
    String coordinatorKey;

    @ArgGroup(exclusive = true)
    PassphraseOptions passphrase = new PassphraseOptions();

    CountersignCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        char[] secret;
        try {
            secret = PassphraseSource.read(passphrase.environmentVariable, passphrase.file,
                    "passphrase of " + keyFile.getFileName(), false);
        } catch (PassphraseSource.MissingPassphraseException e) {
            throw new BadInputException(e.getMessage());
        }
        try (SecretBytes key = CustodianKeyFile.read(keyFile, secret)) {
            byte[] pinned = coordinatorKey == null ? null : Base64.getDecoder().decode(coordinatorKey);
            Manifest manifest = CustodianDesk.countersign(new CoordinatorClient(coordinator, null), keyId, version,
                    custodianId, key, pinned);
            terminal.out().println("countersigned " + manifest.keyId() + " v" + manifest.version() + " "
                    + manifest.algorithm().wireName() + " " + manifest.threshold() + "-of-" + manifest.shareCount()
                    + " KCV " + manifest.kcv().hex() + " manifest " + manifest.digest());
            return ExitCodes.OK;
        } catch (CustodianKeyFile.KeyFileException | IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        } catch (CustodianDesk.ReviewException e) {
            terminal.err().println("escrow countersign: not signed: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (ApiException e) {
            terminal.err().println("escrow countersign: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        } finally {
            Arrays.fill(secret, '\0');
        }
    }
}
