package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.KeyFingerprint;
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
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real development cluster (3 node processes and a coordinator): a recovered key sealed
 * offline with {@code escrow key seal-import} and submitted with {@code escrow key
 * submit-import}; and {@code escrow session encrypt|decrypt|sign} on ACTIVE USE sessions.
 */
class OfflineImportAndSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String CUSTODIANS = "custodian-1,custodian-2,custodian-3";

    @TempDir
    static Path dir;

    private static JsonObject cluster;
    private static CoordinatorClient coordinator;
    private static Path passphrase;
    private static String coordinatorKey;
    private static String aesSession;
    private static String ecSession;
    private static byte[] ecPublicKey;

    record Run(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Run escrow(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(stdin), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new Run(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    static Run escrow(String... args) {
        return escrow(new byte[0], args);
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @BeforeAll
    static void startClusterWithTwoActiveSessions() throws Exception {
        Run start = escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "3");
        assertEquals(0, start.exit(), start.text() + start.err());
        cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
        coordinator = new CoordinatorClient(cluster.getString("coordinator"),
                Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim());
        passphrase = dir.resolve("custodian.pass");
        Files.writeString(passphrase, "custodian passphrase\n");
        JsonArray nodes = cluster.getJsonArray("nodes");
        for (int i = 1; i <= 3; i++) {
            String id = "custodian-" + i;
            Run keygen = escrow("custodian", "keygen", "--id", id, "--out", dir.resolve(id + ".pem").toString(),
                    "--passphrase-file", passphrase.toString());
            assertEquals(0, keygen.exit(), keygen.err());
            assertEquals(0, escrow("custodians", "add", "--cluster", dir.toString(), "--id", id, "--public-key",
                    keygen.text().trim(), "--node", nodes.getJsonObject(i - 1).getString("id")).exit());
        }
        coordinatorKey = new NodeClient(nodes.getJsonObject(0).getString("url")).node()
                .getString("coordinatorPublicKey");
        createActive("session-aes", "AES-256");
        JsonObject ec = createActive("session-ec", "EC-P256");
        ecPublicKey = Base64.getDecoder().decode(ec.getString("publicKey"));
        aesSession = activeUse("session-aes");
        ecSession = activeUse("session-ec");
    }

    @AfterAll
    static void stopCluster() {
        Run stop = escrow("cluster", "stop", "--dir", dir.toString());
        assertEquals(0, stop.exit(), stop.err());
    }

    private static JsonObject createActive(String name, String algorithm) throws Exception {
        Run created = escrow("key", "create", "--cluster", dir.toString(), "--name", name, "--algorithm", algorithm,
                "--threshold", "2", "--custodians", CUSTODIANS, "--json");
        assertEquals(0, created.exit(), created.err());
        countersignAll(name);
        return new JsonObject(created.text());
    }

    private static void countersignAll(String keyId) throws Exception {
        for (int i = 1; i <= 3; i++) {
            String id = "custodian-" + i;
            Run countersign = escrow("countersign", keyId, "--version", "1", "--as", id, "--key",
                    dir.resolve(id + ".pem").toString(), "--coordinator", cluster.getString("coordinator"),
                    "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString());
            assertEquals(0, countersign.exit(), countersign.err());
        }
        assertEquals("ACTIVE", coordinator.key(keyId).getJsonArray("versions").getJsonObject(0).getString("state"));
    }

    private static String activeUse(String keyId) throws Exception {
        Run use = escrow("request", "use", keyId, "--cluster", dir.toString(), "--reason", "session commands",
                "--max-operations", "20", "--session-seconds", "600", "--json");
        assertEquals(0, use.exit(), use.err());
        String requestId = new JsonObject(use.text()).getString("requestId");
        JsonArray nodes = cluster.getJsonArray("nodes");
        for (int i : new int[] {1, 3}) {
            String nodeUrl = nodes.getJsonObject(i - 1).getString("url");
            CustodianDesk.awaitReview(new NodeClient(nodeUrl), requestId, Duration.ofSeconds(30), null);
            String id = "custodian-" + i;
            assertEquals(0, escrow("approve", requestId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                    "--node", nodeUrl, "--yes", "--passphrase-file", passphrase.toString()).exit());
        }
        JsonObject view = coordinator.requestChangedFrom(requestId, "PENDING", 20);
        for (int i = 0; i < 30 && !"ACTIVE".equals(view.getString("state")); i++) {
            view = coordinator.requestChangedFrom(requestId, view.getString("state"), 20);
        }
        assertEquals("ACTIVE", view.getString("state"), view.encodePrettily());
        return requestId;
    }

    // ------------------------------------------------------------------ session

    @Test
    void encryptToAFile_thenDecryptFromIt_givesTheBinaryDataBack() throws Exception {
        byte[] data = new byte[1000];
        RANDOM.nextBytes(data);
        data[0] = 0;
        data[1] = (byte) 0xff;
        Path sealed = dir.resolve("data.enc");
        Run encrypt = escrow(data, "session", "encrypt", aesSession, "--cluster", dir.toString(), "--out",
                sealed.toString(), "--aad", "invoice 42");
        assertEquals(0, encrypt.exit(), encrypt.err());
        assertEquals(0, encrypt.out().length, "with --out nothing goes to stdout");
        assertTrue(encrypt.err().contains("wrote " + Files.size(sealed) + " bytes to " + sealed), encrypt.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed)));
        byte[] ciphertext = Files.readAllBytes(sealed);
        assertTrue(ciphertext.length > data.length, "binary ciphertext with its nonce and tag");

        Run decrypt = escrow("session", "decrypt", aesSession, "--cluster", dir.toString(), "--in", sealed.toString(),
                "--aad", "invoice 42");
        assertEquals(0, decrypt.exit(), decrypt.err());
        assertArrayEquals(data, decrypt.out(), "the plaintext bytes on stdout");

        Run wrongAad = escrow("session", "decrypt", aesSession, "--cluster", dir.toString(), "--in",
                sealed.toString(), "--aad", "invoice 43");
        assertNotEquals(0, wrongAad.exit(), "another AAD does not authenticate");
        assertEquals(0, wrongAad.out().length);
    }

    @Test
    void sign_writesABinarySignatureThatVerifiesUnderTheKeysPublicKey() throws Exception {
        byte[] message = "pay 100 to bob".getBytes(StandardCharsets.UTF_8);
        Path signatureFile = dir.resolve("message.sig");
        Path messageFile = dir.resolve("message.txt");
        Files.write(messageFile, message);
        Run sign = escrow("session", "sign", ecSession, "--cluster", dir.toString(), "--in", messageFile.toString(),
                "--out", signatureFile.toString());
        assertEquals(0, sign.exit(), sign.err());
        byte[] signature = Files.readAllBytes(signatureFile);
        EcdsaP256.verify(ecPublicKey, message, signature);
        assertThrows(Exception.class, () -> EcdsaP256.verify(ecPublicKey, "pay 900 to bob".getBytes(
                StandardCharsets.UTF_8), signature));
        assertEquals(2, escrow("x".getBytes(StandardCharsets.UTF_8), "session", "sign", aesSession, "--cluster",
                dir.toString()).exit(), "an AES session does not sign: the coordinator's 400 is exit 2");
    }

    @Test
    void anOutputThatCannotBeWritten_spendsNoOperation() throws Exception {
        Path existing = dir.resolve("already-there");
        Files.writeString(existing, "x");
        Path token = dir.resolve("recording.token");
        Files.writeString(token, "secret\n");
        try (RecordingServer recording = new RecordingServer()) {
            Run refused = escrow("data".getBytes(StandardCharsets.UTF_8), "session", "encrypt", "req-1",
                    "--coordinator", recording.url(), "--token-file", token.toString(), "--out", existing.toString());
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().contains("exists"), refused.err());
            assertEquals(List.of(), recording.received(), "the session was never asked");
        }
        assertEquals("x", Files.readString(existing));
    }

    @Test
    void theTokenIsNeverACommandLineValue_butComesFromTheEnvironmentOfARealProcess() throws Exception {
        assertEquals(2, escrow("session", "encrypt", aesSession, "--coordinator", cluster.getString("coordinator"),
                "--token", "secret").exit(), "there is no --token option");
        String token = Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Escrow.class.getName(), "session", "encrypt",
                aesSession, "--coordinator", cluster.getString("coordinator"));
        builder.environment().put(CoordinatorOptions.TOKEN_VARIABLE, token);
        Process process = builder.start();
        process.getOutputStream().write("from a pipe".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] ciphertext = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), err);
        Run decrypt = escrow(ciphertext, "session", "decrypt", aesSession, "--cluster", dir.toString());
        assertEquals(0, decrypt.exit(), decrypt.err());
        assertEquals("from a pipe", decrypt.text());
    }

    // ------------------------------------------------------------------ offline import

    private record ImportKey(String fingerprint, String publicKey) {
    }

    private static ImportKey act1;

    /**
     * Act A on the coordinator's host: {@code escrow coordinator fingerprint} as its own process,
     * with the member's SoftHSM2 configuration (read once per process) when it has one.
     */
    private static synchronized ImportKey fromAct1() throws Exception {
        if (act1 != null) {
            return act1;
        }
        Path member = dir.resolve("coordinator");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Escrow.class.getName(), "coordinator", "fingerprint",
                "--config", member.resolve("coordinator.json").toString());
        if (Files.exists(member.resolve("softhsm2.conf"))) {
            builder.environment().put("SOFTHSM2_CONF", member.resolve("softhsm2.conf").toString());
        }
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), out + err);
        String fp = null;
        String key = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("import public key ")) {
                key = line.substring("import public key ".length()).trim();
            } else if (line.startsWith("import ")) {
                fp = line.substring("import ".length()).trim();
            }
        }
        act1 = new ImportKey(fp, key);
        return act1;
    }

    private static String[] seal(String name, String kcv, String importKey, String fingerprint, Path out) {
        return new String[] {"key", "seal-import", "--name", name, "--algorithm", "AES-256", "--kcv", kcv,
            "--coordinator-import-key", importKey, "--coordinator-import-fingerprint", fingerprint, "--out",
            out.toString()};
    }

    private static String randomKeyHex() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return HexFormat.of().formatHex(key);
    }

    private static String kcvOf(String hex) throws Exception {
        try (SecretBytes key = SecretHex.decode(hex.toCharArray())) {
            return RecoveredKeyCheck.kcvOf(KeyAlgorithm.AES_256, key);
        }
    }

    @Test
    void theImportKeyOfActA_isTheOneTheCoordinatorServes() throws Exception {
        ImportKey act1 = fromAct1();
        String served = coordinator.coordinator().getString("transportPublicKey");
        assertEquals(served, act1.publicKey());
        assertEquals(KeyFingerprint.of(Base64.getDecoder().decode(served)), act1.fingerprint());
    }

    @Test
    void sealedOffline_thenSubmitted_isImportedWithItsKcv() throws Exception {
        ImportKey act1 = fromAct1();
        String hex = randomKeyHex();
        String kcv = kcvOf(hex);
        Path keyFile = dir.resolve("recovered.hex");
        Files.writeString(keyFile, hex + "\n");
        Path sealed = dir.resolve("restored.sealed");
        Run seal = escrow(with(seal("restored", kcv, act1.publicKey(), act1.fingerprint(), sealed), "--in",
                keyFile.toString()));
        assertEquals(0, seal.exit(), seal.err());
        assertTrue(seal.err().contains("AES-256, 32 bytes, KCV " + kcv + " (matches --kcv)"), seal.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sealed)));
        String file = Files.readString(sealed);
        assertFalse(file.toLowerCase().contains(hex), "only ciphertext in the sealed file");
        JsonObject json = new JsonObject(file);
        assertEquals(act1.fingerprint(), json.getString("importKeyFingerprint"));
        assertEquals(kcv, json.getString("kcv"));

        assertEquals(2, escrow("key", "submit-import", sealed.toString(), "--cluster", dir.toString(), "--threshold",
                "2", "--custodians", CUSTODIANS, "--kcv", "000000").exit(), "a --kcv that is not the file's");
        Run submit = escrow("key", "submit-import", sealed.toString(), "--cluster", dir.toString(), "--threshold", "2",
                "--custodians", CUSTODIANS, "--kcv", kcv);
        assertEquals(0, submit.exit(), submit.err());
        assertTrue(submit.text().contains("imported restored version 1 PRE_ACTIVE KCV " + kcv), submit.text());
        assertEquals(kcv, coordinator.key("restored").getJsonArray("versions").getJsonObject(0).getString("kcv"));
        countersignAll("restored");
        assertEquals(2, escrow("key", "submit-import", sealed.toString(), "--cluster", dir.toString(), "--threshold",
                "2", "--custodians", CUSTODIANS).exit(), "the key id is taken now");
    }

    @Test
    void aWrongKcv_isRefusedBeforeAnythingIsWritten() throws Exception {
        ImportKey act1 = fromAct1();
        String hex = randomKeyHex();
        Path sealed = dir.resolve("wrong-kcv.sealed");
        // a wrong fingerprint too: the KCV is what is compared first
        Run seal = escrow((hex + "\n").getBytes(StandardCharsets.UTF_8), seal("wrong-kcv", "000000", act1.publicKey(),
                "00".repeat(32), sealed));
        assertEquals(2, seal.exit(), seal.err());
        assertTrue(seal.err().contains("not the --kcv 000000; nothing was written"), seal.err());
        assertTrue(Files.notExists(sealed));
        assertEquals(2, escrow((hex + "\n").getBytes(StandardCharsets.UTF_8), "key", "seal-import", "--name", "x",
                "--algorithm", "AES-256", "--coordinator-import-key", act1.publicKey(),
                "--coordinator-import-fingerprint", act1.fingerprint(), "--out", sealed.toString()).exit(),
                "--kcv is required");
        assertTrue(Files.notExists(sealed));
    }

    @Test
    void aWrongImportKeyFingerprint_isRefused() throws Exception {
        ImportKey act1 = fromAct1();
        String hex = randomKeyHex();
        Path sealed = dir.resolve("wrong-fp.sealed");
        String other = KeyFingerprint.of(SoftwareP256Signer.generate(RANDOM).publicKey());
        Run seal = escrow((hex + "\n").getBytes(StandardCharsets.UTF_8), seal("wrong-fp", kcvOf(hex),
                act1.publicKey(), other, sealed));
        assertEquals(2, seal.exit(), seal.err());
        assertTrue(seal.err().contains("not the --coordinator-import-fingerprint " + other), seal.err());
        assertTrue(Files.notExists(sealed));
        assertEquals(2, escrow("key", "seal-import", "--coordinator", cluster.getString("coordinator")).exit(),
                "seal-import has no way to reach a coordinator");
    }

    @Test
    void aSealedFileIsUselessToAnotherCoordinator() throws Exception {
        String hex = randomKeyHex();
        String kcv = kcvOf(hex);
        // "another coordinator": an import key this cluster does not have
        byte[] otherKey = SoftwareP256Signer.generate(RANDOM).publicKey();
        String otherFingerprint = KeyFingerprint.of(otherKey);
        Path sealed = dir.resolve("other-coordinator.sealed");
        assertEquals(0, escrow((hex + "\n").getBytes(StandardCharsets.UTF_8), seal("elsewhere", kcv,
                Base64.getEncoder().encodeToString(otherKey), otherFingerprint, sealed)).exit());
        Run refused = escrow("key", "submit-import", sealed.toString(), "--cluster", dir.toString(), "--threshold",
                "2", "--custodians", CUSTODIANS);
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("sealed for the import key " + otherFingerprint), refused.err());

        // the fingerprint edited to this coordinator's: sent, but the coordinator's token cannot open it
        JsonObject edited = new JsonObject(Files.readString(sealed)).put("importKeyFingerprint",
                fromAct1().fingerprint());
        Path forged = dir.resolve("forged-fingerprint.sealed");
        Files.writeString(forged, edited.encode());
        Run opened = escrow("key", "submit-import", forged.toString(), "--cluster", dir.toString(), "--threshold",
                "2", "--custodians", CUSTODIANS);
        assertEquals(2, opened.exit(), opened.err());
        assertTrue(opened.err().contains("POST /v1/keys/import: 422"), "refused by the token's unwrap: " + opened.err());
        assertEquals(404, assertThrows(ApiException.class, () -> coordinator.key("elsewhere")).status());
    }

    @Test
    void aSealedFileIsUselessForAnotherKeyIdOrAlgorithm() throws Exception {
        ImportKey act1 = fromAct1();
        String hex = randomKeyHex();
        Path sealed = dir.resolve("bound.sealed");
        assertEquals(0, escrow((hex + "\n").getBytes(StandardCharsets.UTF_8), seal("bound-name", kcvOf(hex),
                act1.publicKey(), act1.fingerprint(), sealed)).exit());
        JsonObject original = new JsonObject(Files.readString(sealed));
        for (JsonObject edited : List.of(original.copy().put("keyId", "renamed"),
                original.copy().put("algorithm", "ED25519"))) {
            Path forged = dir.resolve("forged-" + edited.getString("keyId") + "-" + edited.getString("algorithm"));
            Files.writeString(forged, edited.encode());
            Run opened = escrow("key", "submit-import", forged.toString(), "--cluster", dir.toString(),
                    "--threshold", "2", "--custodians", CUSTODIANS);
            assertEquals(2, opened.exit(), edited.encode() + ": " + opened.err());
            assertTrue(opened.err().contains("POST /v1/keys/import: 422"), "refused by the token's unwrap: "
                    + opened.err());
        }
        assertEquals(404, assertThrows(ApiException.class, () -> coordinator.key("renamed")).status());
        assertEquals(404, assertThrows(ApiException.class, () -> coordinator.key("bound-name")).status(),
                "the ED25519 attempt under the original name was refused too");
        Files.writeString(dir.resolve("garbage.sealed"), "{\"format\":\"nope\"}");
        assertEquals(2, escrow("key", "submit-import", dir.resolve("garbage.sealed").toString(), "--cluster",
                dir.toString(), "--threshold", "2", "--custodians", CUSTODIANS).exit());
        assertTrue(Arrays.asList(dir.toFile().list()).stream().noneMatch(n -> n.endsWith(".partial")));
    }
}
