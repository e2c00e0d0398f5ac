package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.OfflineImportAndSessionTest.Run;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGN on a real development cluster (5 node processes, a coordinator): an Ed25519 key imported
 * as a 3-of-5 FROST key signs two messages once three custodians approved at their own nodes;
 * the signatures verify under the key's original public key with Bouncy Castle's and the JDK's
 * Ed25519 verifiers. Two approvals leave the request without a signature; custodians see each
 * message (text, or hex when it hides characters); {@code request status} prints the signatures.
 */
class FrostSignCliTest {
    private static final String SEED_HEX = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final byte[] PUBLIC_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final String CUSTODIANS = "custodian-1,custodian-2,custodian-3,custodian-4,custodian-5";
    /** SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    @TempDir
    Path dir;

    private static Run escrow(byte[] stdin, String... args) {
        return OfflineImportAndSessionTest.escrow(stdin, args);
    }

    private static Run escrow(String... args) {
        return OfflineImportAndSessionTest.escrow(args);
    }

    @Test
    void quorumSignsWithAKeyThatIsNeverRebuilt_verifiedByBouncyCastleAndTheJdk() throws Exception {
        Run start = escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "5");
        assertEquals(0, start.exit(), start.text() + start.err());
        try {
            JsonObject cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
            CoordinatorClient coordinator = new CoordinatorClient(cluster.getString("coordinator"),
                    Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim());
            Path passphrase = CliCustodians.enrol(dir, 5);
            JsonArray nodes = cluster.getJsonArray("nodes");
            String kcv = dev.keyescrow.core.integrity.Kcv.ofPublicKey(PUBLIC_KEY).hex();
            Run imported = escrow((SEED_HEX + "\n").getBytes(StandardCharsets.US_ASCII), "key", "import",
                    "--cluster", dir.toString(), "--name", "signing-key", "--algorithm", "ED25519", "--threshold",
                    "3", "--custodians", CUSTODIANS, "--kcv", kcv, "--scheme", "FROST");
            assertEquals(0, imported.exit(), imported.err());
            String coordinatorKey = new NodeClient(url(nodes, 1)).node().getString("coordinatorPublicKey");
            for (int i = 1; i <= 5; i++) {
                String id = "custodian-" + i;
                assertEquals(0, escrow("countersign", "signing-key", "--version", "1", "--as", id, "--key",
                        dir.resolve(id + ".pem").toString(), "--coordinator", cluster.getString("coordinator"),
                        "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString())
                        .exit());
            }

            byte[] text = "release 4.2.0 of keyescrow\n".getBytes(StandardCharsets.UTF_8);
            // a right-to-left override would make a terminal show other text than what is signed
            byte[] hidden = "pay 10 to \u202emallory".getBytes(StandardCharsets.UTF_8);
            Path first = Files.write(dir.resolve("m1.txt"), text);
            Path second = Files.write(dir.resolve("m2.bin"), hidden);
            Run tooBig = escrow("request", "sign", "signing-key", "--cluster", dir.toString(), "--reason", "x",
                    "--message-file", Files.write(dir.resolve("big"), new byte[64 * 1024 + 1]).toString());
            assertEquals(2, tooBig.exit(), tooBig.err());
            Run requested = escrow("request", "sign", "signing-key", "--cluster", dir.toString(), "--reason",
                    "tag the 4.2.0 release", "--message-file", first.toString(), "--message-file", second.toString(),
                    "--json");
            assertEquals(0, requested.exit(), requested.err());
            String requestId = new JsonObject(requested.text()).getString("requestId");

            CustodianDesk.awaitReview(new NodeClient(url(nodes, 1)), requestId, Duration.ofSeconds(60), null);
            Run shown = escrow("show", requestId, "--node", url(nodes, 1));
            assertEquals(0, shown.exit(), shown.err());
            assertTrue(shown.text().contains("message 1     27 bytes, as text:\n    release 4.2.0 of keyescrow"),
                    shown.text());
            assertTrue(shown.text().contains("as hex:\n    " + HexFormat.of().formatHex(hidden)), shown.text());
            assertFalse(shown.text().contains("mallory"), "hidden text is never printed as text");

            for (int i = 1; i <= 2; i++) {
                approve(nodes, passphrase, requestId, i);
            }
            Thread.sleep(3000);
            JsonObject pending = coordinator.request(requestId);
            assertEquals("PENDING", pending.getString("state"), pending.encodePrettily());
            assertFalse(pending.containsKey("signatures"), "t-1 approvals make no signature");

            approve(nodes, passphrase, requestId, 3);
            Run done = escrow("request", "status", requestId, "--cluster", dir.toString(), "--wait-for", "EXECUTED",
                    "--json");
            assertEquals(0, done.exit(), done.text() + done.err());
            JsonArray signatures = new JsonObject(done.text()).getJsonArray("signatures");
            assertEquals(2, signatures.size(), done.text());
            List<byte[]> messages = List.of(text, hidden);
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            var jdkKey = factory.generatePublic(new X509EncodedKeySpec(concat(ED25519_SPKI, PUBLIC_KEY)));
            for (int j = 0; j < 2; j++) {
                byte[] signature = Base64.getDecoder().decode(signatures.getString(j));
                byte[] message = messages.get(j);
                assertTrue(Ed25519.verify(signature, 0, PUBLIC_KEY, 0, message, 0, message.length),
                        "Bouncy Castle accepts signature " + (j + 1));
                Signature jdk = Signature.getInstance("Ed25519");
                jdk.initVerify(jdkKey);
                jdk.update(message);
                assertTrue(jdk.verify(signature), "the JDK accepts signature " + (j + 1));
            }
            Run status = escrow("request", "status", requestId, "--cluster", dir.toString());
            assertTrue(status.text().contains("signature 1  " + signatures.getString(0)), status.text());
            assertTrue(status.text().contains("no share left its node"), status.text());
        } finally {
            Run stop = escrow("cluster", "stop", "--dir", dir.toString());
            assertEquals(0, stop.exit(), stop.err());
        }
    }

    private void approve(JsonArray nodes, Path passphrase, String requestId, int i) throws Exception {
        CustodianDesk.awaitReview(new NodeClient(url(nodes, i)), requestId, Duration.ofSeconds(60), null);
        String id = "custodian-" + i;
        Run approved = escrow("approve", requestId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                "--node", url(nodes, i), "--yes", "--passphrase-file", passphrase.toString());
        assertEquals(0, approved.exit(), approved.text() + approved.err());
    }

    private static String url(JsonArray nodes, int i) {
        return nodes.getJsonObject(i - 1).getString("url");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
