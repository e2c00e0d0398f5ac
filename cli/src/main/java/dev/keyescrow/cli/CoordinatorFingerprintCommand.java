package dev.keyescrow.cli;

import dev.keyescrow.coordinator.config.CoordinatorConfigException;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.hsm.setup.Tokens;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow coordinator fingerprint --config FILE}: opens the coordinator's token
 * (generating its key inside it on first use) and prints the key every node pins.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = "Print the fingerprints and public keys of the coordinator's identity and import keys (provisions"
                + " the token on first use).")
final class CoordinatorFingerprintCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the coordinator's configuration")
    Path config;

    CoordinatorFingerprintCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        CoordinatorConfig coordinator;
        try {
            coordinator = CoordinatorConfig.load(config);
        } catch (CoordinatorConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!MemberFiles.privateOrRefused(terminal, "coordinator fingerprint", config, coordinator.privatePaths())) {
            return ExitCodes.FAILURE;
        }
        try (Token token = Tokens.openOrProvision(coordinator.token(), coordinator.id(),
                SecureRandom.getInstance("DRBG"))) {
            TokenDescription d = token.describe();
            terminal.out().println("coordinator " + coordinator.id());
            terminal.out().println("vault      " + d.kind().wireName() + " (" + d.label() + ")");
            terminal.out().println("identity   " + d.identityFingerprint());
            terminal.out().println("identity public key   " + Base64.getEncoder().encodeToString(
                    token.identity().publicKey()));
            // the key 'escrow key seal-import' wraps a recovered key to, on an offline machine
            terminal.out().println("import     " + d.transportFingerprint());
            terminal.out().println("import public key     " + Base64.getEncoder().encodeToString(
                    token.transportPublicKey()));
            return ExitCodes.OK;
        } catch (KeyEscrowException e) {
            terminal.err().println("escrow coordinator fingerprint: the token cannot be used: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
