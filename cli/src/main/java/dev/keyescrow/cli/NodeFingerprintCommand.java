package dev.keyescrow.cli;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.node.config.NodeConfigException;
import dev.keyescrow.node.config.NodeConfig;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow node fingerprint --config FILE}: opens the node's token (generating its
 * identity and transport keys inside it on first use) and prints their fingerprints, for
 * operators to compare out of band with what the coordinator records.
 */
@Command(name = "fingerprint", mixinStandardHelpOptions = true,
        description = {"Print the node's identity and transport key fingerprints (provisions the token on first use),"
                + " and an enrolment proof: the identity key's signature over the node id and both keys, for"
                + " 'escrow node enrol --proof'."})
final class NodeFingerprintCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the node's configuration file")
    Path config;

    NodeFingerprintCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        NodeConfig node;
        try {
            node = NodeConfig.load(config);
        } catch (NodeConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!MemberFiles.privateOrRefused(terminal, "node fingerprint", config, node.privatePaths())) {
            return ExitCodes.FAILURE;
        }
        try (Token token = Tokens.openOrProvision(node.token(), node.nodeId(), SecureRandom.getInstance("DRBG"))) {
            TokenDescription d = token.describe();
            terminal.out().println("node       " + node.nodeId());
            terminal.out().println("vault      " + d.kind().wireName() + " (" + d.label() + ")");
            terminal.out().println("identity   " + d.identityFingerprint());
            terminal.out().println("transport  " + d.transportFingerprint());
            terminal.out().println("identity public key   " + Base64.getEncoder().encodeToString(
                    token.identity().publicKey()));
            terminal.out().println("transport public key  " + Base64.getEncoder().encodeToString(
                    token.transportPublicKey()));
            // signed by the identity key: 'node enrol --proof' checks each key's role with it
            terminal.out().println("enrolment proof       " + Base64.getEncoder().encodeToString(
                    NodeEnrolmentProof.sign(token.identity(), node.nodeId(), token.transportPublicKey())));
            return ExitCodes.OK;
        } catch (KeyEscrowException e) {
            terminal.err().println("escrow node fingerprint: the token cannot be used: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
