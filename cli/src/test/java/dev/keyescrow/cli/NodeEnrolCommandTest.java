package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeEnrolCommandTest {
    private record Result(int exit, String out, String err) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;
    private Path config;
    private byte[] identity;
    private byte[] transport;

    @BeforeEach
    void coordinatorWithNoNodes() throws Exception {
        config = dir.resolve("coordinator.json");
        Files.writeString(config, new JsonObject().put("id", "coordinator").put("dev", true)
                .put("stateDirectory", "state")
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("cluster", new JsonObject().put("name", "escrow").put("bind", "127.0.0.1").put("port", 5701)
                        .put("members", new JsonArray().add("127.0.0.1:5701")))
                .put("operators", new JsonArray().add(new JsonObject().put("id", "alice")
                        .put("tokenSha256", Operators.hashOf("secret"))))
                .put("nodes", new JsonArray())
                .put("token", new JsonObject().put("kind", "software").put("vault", "coordinator.vault")
                        .put("passphraseEnv", "COORDINATOR_PASSPHRASE"))
                .encodePrettily());
        identity = publicKey();
        transport = publicKey();
    }

    @Test
    void pinsTheNodeWhenBothFingerprintsMatch() throws Exception {
        Result r = enrol("node-1", identity, transport, EcdsaP256.fingerprint(identity),
                EcdsaP256.fingerprint(transport));
        assertEquals(0, r.exit(), r.err());
        CoordinatorConfig loaded = CoordinatorConfig.load(config);
        assertEquals(1, loaded.nodes().size());
        assertEquals("node-1", loaded.nodes().get(0).id());
        assertTrue(r.out().contains(EcdsaP256.fingerprint(identity)));
    }

    @Test
    void aFingerprintThatDoesNotMatchChangesNothing() throws Exception {
        String before = Files.readString(config);
        Result r = enrol("node-1", identity, transport, EcdsaP256.fingerprint(transport),
                EcdsaP256.fingerprint(transport));
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("fingerprint"), r.err());
        assertEquals(before, Files.readString(config));
    }

    @Test
    void anEnrolledIdOrKeyIsNotEnrolledAgain() throws Exception {
        assertEquals(0, enrol("node-1", identity, transport, EcdsaP256.fingerprint(identity),
                EcdsaP256.fingerprint(transport)).exit());
        String before = Files.readString(config);
        byte[] other = publicKey();
        Result sameId = enrol("node-1", other, publicKey(), EcdsaP256.fingerprint(other), null);
        assertEquals(2, sameId.exit());
        byte[] fresh = publicKey();
        Result sameKeys = enrol("node-2", fresh, transport, EcdsaP256.fingerprint(fresh),
                EcdsaP256.fingerprint(transport));
        assertEquals(2, sameKeys.exit());
        assertTrue(sameKeys.err().contains("already enrolled as node node-1"), sameKeys.err());
        assertEquals(before, Files.readString(config));
    }

    @Test
    void swappedKeys_withTheirFingerprints_areRefused() throws Exception {
        String before = Files.readString(config);
        // what 'escrow node fingerprint' printed: the identity key signs both keys in their roles
        byte[] printedProof = NodeEnrolmentProof.sign(SIGNERS.get(Base64.getEncoder().encodeToString(identity)),
                "node-1", transport);
        Result swapped = enrol("node-1", transport, identity, EcdsaP256.fingerprint(transport),
                EcdsaP256.fingerprint(identity), printedProof);
        assertEquals(2, swapped.exit(), swapped.err());
        assertTrue(swapped.err().contains("swapped"), swapped.err());
        assertEquals(before, Files.readString(config), "nothing was enrolled");
    }

    @Test
    void aProofOfAnotherNodeOrMissing_isRefused() throws Exception {
        String before = Files.readString(config);
        byte[] otherNodesProof = NodeEnrolmentProof.sign(SIGNERS.get(Base64.getEncoder().encodeToString(identity)),
                "node-2", transport);
        Result r = enrol("node-1", identity, transport, EcdsaP256.fingerprint(identity),
                EcdsaP256.fingerprint(transport), otherNodesProof);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("enrolment proof does not verify"), r.err());
        Result none = escrow("node", "enrol", "--coordinator-config", config.toString(), "--id", "node-1", "--url",
                "http://127.0.0.1:9001", "--identity-key", Base64.getEncoder().encodeToString(identity),
                "--transport-key", Base64.getEncoder().encodeToString(transport), "--identity-fingerprint",
                EcdsaP256.fingerprint(identity), "--transport-fingerprint", EcdsaP256.fingerprint(transport));
        assertEquals(2, none.exit(), "--proof is required");
        assertEquals(before, Files.readString(config));
    }

    @Test
    void anEnrolledId_isRefusedWithWhatToDoInstead() throws Exception {
        assertEquals(0, enrol("node-1", identity, transport, EcdsaP256.fingerprint(identity),
                EcdsaP256.fingerprint(transport)).exit());
        byte[] other = publicKey();
        byte[] otherTransport = publicKey();
        Result again = enrol("node-1", other, otherTransport, EcdsaP256.fingerprint(other), null);
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("new node id") && again.err().contains("escrow request reshare")
                && again.err().contains("Replacing a failed node"), again.err());
    }

    @Test
    void whatNodeFingerprintPrints_enrols_andSwappedIsRefused() throws Exception {
        Path nodeDir = Files.createDirectories(dir.resolve("node-7"));
        Files.writeString(nodeDir.resolve("vault.pass"), "node vault passphrase");
        Path nodeConfig = nodeDir.resolve("node.json");
        Files.writeString(nodeConfig, new JsonObject().put("nodeId", "node-7").put("dev", true)
                .put("stateDirectory", "state")
                .put("coordinatorPublicKey", Base64.getEncoder().encodeToString(publicKey()))
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("cluster", new JsonObject().put("name", "escrow").put("bind", "127.0.0.1").put("port", 5702)
                        .put("members", new JsonArray().add("127.0.0.1:5701")))
                .put("token", new JsonObject().put("kind", "software").put("vault", "vault.bcfks")
                        .put("passphraseFile", "vault.pass"))
                .encodePrettily());
        for (Path privateFile : List.of(nodeConfig, nodeDir.resolve("vault.pass"))) {
            Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
        }
        Files.setPosixFilePermissions(nodeDir, PosixFilePermissions.fromString("rwx------"));
        Result printed = escrow("node", "fingerprint", "--config", nodeConfig.toString());
        assertEquals(0, printed.exit(), printed.err());
        String identityKey = field(printed.out(), "identity public key");
        String transportKey = field(printed.out(), "transport public key");
        String proof = field(printed.out(), "enrolment proof");
        String identityPrint = field(printed.out(), "identity ");
        String transportPrint = field(printed.out(), "transport ");
        String before = Files.readString(config);

        Result swapped = escrow("node", "enrol", "--coordinator-config", config.toString(), "--id", "node-7",
                "--url", "http://127.0.0.1:9007", "--identity-key", transportKey, "--transport-key", identityKey,
                "--identity-fingerprint", transportPrint, "--transport-fingerprint", identityPrint, "--proof", proof);
        assertEquals(2, swapped.exit(), swapped.err());
        assertTrue(swapped.err().contains("swapped"), swapped.err());
        assertEquals(before, Files.readString(config));

        Result enrolled = escrow("node", "enrol", "--coordinator-config", config.toString(), "--id", "node-7",
                "--url", "http://127.0.0.1:9007", "--identity-key", identityKey, "--transport-key", transportKey,
                "--identity-fingerprint", identityPrint, "--transport-fingerprint", transportPrint, "--proof", proof);
        assertEquals(0, enrolled.exit(), enrolled.err());
        assertEquals("node-7", CoordinatorConfig.load(config).nodes().get(0).id());
    }

    /** The value after a label at the start of a line of 'node fingerprint' output. */
    private static String field(String out, String label) {
        for (String line : out.split("\n")) {
            if (line.startsWith(label)) {
                return line.substring(label.length()).trim();
            }
        }
        throw new AssertionError("no '" + label + "' in " + out);
    }

    @Test
    void notAP256PointIsRefused() throws Exception {
        byte[] junk = new byte[65];
        junk[0] = 4;
        Result r = enrol("node-1", junk, transport, "00", EcdsaP256.fingerprint(transport));
        assertEquals(2, r.exit());
        assertEquals(0, CoordinatorConfig.load(config).nodes().size());
    }

    /** Enrols with the proof the node would print: its identity key (if it is one of ours) signing these keys. */
    private Result enrol(String id, byte[] identityKey, byte[] transportKey, String identityFp, String transportFp)
            throws Exception {
        SoftwareP256Signer signer = SIGNERS.get(Base64.getEncoder().encodeToString(identityKey));
        byte[] proof = signer != null ? NodeEnrolmentProof.sign(signer, id, transportKey) : new byte[64];
        return enrol(id, identityKey, transportKey, identityFp, transportFp, proof);
    }

    private Result enrol(String id, byte[] identityKey, byte[] transportKey, String identityFp, String transportFp,
                         byte[] proof) throws Exception {
        String transportPrint = transportFp != null ? transportFp : EcdsaP256.fingerprint(transportKey);
        return escrow("node", "enrol", "--coordinator-config", config.toString(), "--id", id, "--url",
                "http://127.0.0.1:9001", "--identity-key", Base64.getEncoder().encodeToString(identityKey),
                "--transport-key", Base64.getEncoder().encodeToString(transportKey), "--identity-fingerprint",
                identityFp, "--transport-fingerprint", transportPrint, "--proof",
                Base64.getEncoder().encodeToString(proof));
    }

    private static final java.util.Map<String, SoftwareP256Signer> SIGNERS = new java.util.concurrent
            .ConcurrentHashMap<>();

    /** A P-256 public key whose private half this test keeps, to sign proofs as a node's identity key would. */
    private static byte[] publicKey() {
        SoftwareP256Signer signer = SoftwareP256Signer.generate(RANDOM);
        SIGNERS.put(Base64.getEncoder().encodeToString(signer.publicKey()), signer);
        return signer.publicKey();
    }

    private static Result escrow(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Escrow.run(terminal, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
