package dev.keyescrow.cli;

import dev.keyescrow.coordinator.config.CoordinatorConfigException;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.config.CoordinatorConfigFile;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.server.config.ConfigFileException;
import dev.keyescrow.server.config.ConfigJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow node enrol}: the ceremony step that pins a node's keys in the coordinator's
 * configuration. The operator gives the public keys the node printed and the fingerprints
 * read aloud (or from a second channel); nothing is written unless each key hashes to its
 * fingerprint and neither the id nor the keys are enrolled already. The coordinator reads
 * its nodes at start, so it pins the new node after a restart.
 */
@Command(name = "enrol", aliases = "enroll", mixinStandardHelpOptions = true,
        description = {"Pin a node's identity and transport keys in the coordinator's configuration, after checking"
            + " each key against the fingerprint compared out of band and the node's enrolment proof (its identity"
            + " key's signature over its id and both keys: swapped keys are refused).",
            "Restart the coordinator afterwards: it reads its enrolled nodes at start."})
final class NodeEnrolCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--coordinator-config", required = true, paramLabel = "FILE",
            description = "the coordinator's configuration file (rewritten in place, atomically)")
    Path coordinatorConfig;

    @Option(names = "--id", required = true, paramLabel = "NODE_ID", description = "the node's id")
    String nodeId;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "the node's API URL")
    String url;

    @Option(names = "--identity-key", required = true, paramLabel = "BASE64",
            description = "the identity public key 'escrow node fingerprint' printed")
    String identityKey;

    @Option(names = "--transport-key", required = true, paramLabel = "BASE64",
            description = "the transport public key 'escrow node fingerprint' printed")
    String transportKey;

    @Option(names = "--identity-fingerprint", required = true, paramLabel = "HEX",
            description = "the identity fingerprint, as compared out of band")
    String identityFingerprint;

    @Option(names = "--transport-fingerprint", required = true, paramLabel = "HEX",
            description = "the transport fingerprint, as compared out of band")
    String transportFingerprint;

    @Option(names = "--proof", required = true, paramLabel = "BASE64",
            description = "the enrolment proof 'escrow node fingerprint' printed (the identity key's signature)")
    String proof;

    NodeEnrolCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        byte[] identity = checkedKey("identity", identityKey, identityFingerprint);
        byte[] transport = checkedKey("transport", transportKey, transportFingerprint);
        if (java.util.Arrays.equals(identity, transport)) {
            throw new BadInputException("the identity and transport keys are the same key; a node has two");
        }
        checkRoles(identity, transport);
        CoordinatorConfigFile config = readConfig();
        String identityText = Base64.getEncoder().encodeToString(identity);
        String transportText = Base64.getEncoder().encodeToString(transport);
        for (CoordinatorConfigFile.Node n : config.nodes()) {
            if (nodeId.equals(n.id())) {
                throw new BadInputException("node " + nodeId + " is already enrolled, and its pinned keys are"
                        + " not changed by an edit: enrol the new token under a new node id, register its custodian"
                        + " under a new id and move each key's shares to it with 'escrow request reshare'"
                        + " (operations.md, \"Replacing a failed node\")");
            }
            for (String pinned : new String[] {n.identityPublicKey(), n.transportPublicKey()}) {
                if (pinned.equals(identityText) || pinned.equals(transportText)) {
                    throw new BadInputException("these keys are already enrolled as node " + n.id());
                }
            }
        }
        CoordinatorConfigFile.Node node;
        try {
            node = new CoordinatorConfigFile.Node(nodeId, url, identityText, transportText);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("the node cannot be enrolled: " + e.getMessage());
        }
        config = config.withNode(node);
        replaceConfig(config);
        terminal.out().println("enrolled   " + nodeId + " at " + url);
        terminal.out().println("identity   " + EcdsaP256.fingerprint(identity));
        terminal.out().println("transport  " + EcdsaP256.fingerprint(transport));
        terminal.out().println("restart the coordinator to pin it");
        return ExitCodes.OK;
    }

    /** The node's own proof: only its identity key signs, so swapped keys do not verify. */
    private void checkRoles(byte[] identity, byte[] transport) throws BadInputException {
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(proof.trim());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--proof is not base64");
        }
        try {
            NodeEnrolmentProof.verify(nodeId, identity, transport, signature);
            return;
        } catch (SignatureException e) {
            // fall through: say whether the keys are swapped or the proof is another node's
        }
        try {
            NodeEnrolmentProof.verify(nodeId, transport, identity, signature);
            throw new BadInputException("the identity and transport keys are swapped: the key given as transport is"
                    + " the one that signed the proof; give each key as 'escrow node fingerprint' labels it");
        } catch (SignatureException e) {
            throw new BadInputException("the enrolment proof does not verify under the identity key for node " + nodeId
                    + " and these keys: use the proof, keys and node id printed together by 'escrow node"
                    + " fingerprint' on that node; nothing was enrolled");
        }
    }

    private byte[] checkedKey(String name, String base64, String fingerprint) throws BadInputException {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--" + name + "-key is not base64");
        }
        String actual;
        try {
            actual = EcdsaP256.fingerprint(key);
        } catch (SignatureException e) {
            throw new BadInputException("--" + name + "-key: " + e.getMessage());
        }
        String compared = fingerprint.trim().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        if (!actual.equals(compared)) {
            throw new BadInputException("the " + name + " key's fingerprint is " + actual + ", not the " + compared
                    + " compared out of band; nothing was enrolled");
        }
        return key;
    }

    private CoordinatorConfigFile readConfig() throws BadInputException {
        try {
            CoordinatorConfig.load(coordinatorConfig);
            return CoordinatorConfigFile.read(coordinatorConfig);
        } catch (CoordinatorConfigException | ConfigFileException e) {
            throw new BadInputException(coordinatorConfig + ": " + e.getMessage());
        }
    }

    /** Writes beside the file, checks that the result loads, then moves it into place. */
    private void replaceConfig(CoordinatorConfigFile config) throws IOException, BadInputException {
        Path target = coordinatorConfig.toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), ".enrol-", ".json");
        try {
            Files.write(temp, ConfigJson.bytes(config));
            try {
                CoordinatorConfig.load(temp);
            } catch (CoordinatorConfigException e) {
                throw new BadInputException("the node cannot be enrolled: " + e.getMessage());
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
