package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.OfflineImportAndSessionTest.Run;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.Manifest;
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
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FROST key made by distributed key generation on a real development cluster (5 node
 * processes with their tokens, a coordinator, Hazelcast): {@code escrow key create --scheme
 * FROST} runs the DKG among the custodians' nodes; the manifest pins the group key, five
 * verification shares consistent with a 3-of-5 polynomial and the DKG transcript, its KCV is
 * that of the group key; the custodians countersign; three approve a SIGN; the signature
 * verifies under the group key with Bouncy Castle's and the JDK's Ed25519 verifiers.
 */
class FrostDkgCliTest {
    private static final String CUSTODIANS = "custodian-1,custodian-2,custodian-3,custodian-4,custodian-5";
    private static final byte[] ED25519_SPKI = java.util.HexFormat.of().parseHex("302a300506032b6570032100");

    @TempDir
    Path dir;

    @Test
    void theNodesMakeTheKey_andAQuorumSignsWithIt() throws Exception {
        Run start = OfflineImportAndSessionTest.escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "5");
        assertEquals(0, start.exit(), start.text() + start.err());
        try {
            JsonObject cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
            Path passphrase = CliCustodians.enrol(dir, 5);
            JsonArray nodes = cluster.getJsonArray("nodes");
            Run refused = OfflineImportAndSessionTest.escrow("key", "create", "--cluster", dir.toString(), "--name",
                    "aes-frost", "--algorithm", "AES-256", "--threshold", "3", "--custodians", CUSTODIANS,
                    "--scheme", "FROST");
            assertEquals(2, refused.exit(), refused.err());
            assertTrue(refused.err().contains("ED25519"), refused.err());

            Run created = OfflineImportAndSessionTest.escrow("key", "create", "--cluster", dir.toString(), "--name",
                    "dkg-key", "--algorithm", "ED25519", "--threshold", "3", "--custodians", CUSTODIANS, "--scheme",
                    "FROST", "--json");
            assertEquals(0, created.exit(), created.text() + created.err());
            JsonObject answer = new JsonObject(created.text());
            assertEquals("FROST", answer.getString("scheme"), answer.encodePrettily());
            byte[] groupKey = Base64.getDecoder().decode(answer.getString("publicKey"));

            String coordinatorKey = new NodeClient(url(nodes, 1)).node().getString("coordinatorPublicKey");
            Run manifestRun = OfflineImportAndSessionTest.escrow("key", "manifest", "dkg-key", "--version", "1",
                    "--cluster", dir.toString(), "--json");
            assertEquals(0, manifestRun.exit(), manifestRun.err());
            Manifest manifest = Manifest.parse(new JsonObject(manifestRun.text()).getString("canonical")
                    .getBytes(StandardCharsets.UTF_8));
            assertNotNull(manifest.frost(), "a FROST manifest");
            assertArrayEquals(groupKey, manifest.frost().groupPublicKey());
            assertEquals(5, manifest.frost().verificationShares().size());
            assertTrue(manifest.frost().isConsistentFor(3), "verification shares on one degree-2 polynomial");
            assertNotNull(manifest.frost().dkgTranscript(), "the DKG transcript is pinned");
            assertEquals(Kcv.ofPublicKey(groupKey), manifest.kcv(), "one KCV rule: SHA-256 of the group key");

            for (int i = 1; i <= 5; i++) {
                String id = "custodian-" + i;
                Run countersigned = OfflineImportAndSessionTest.escrow("countersign", "dkg-key", "--version", "1",
                        "--as", id, "--key", dir.resolve(id + ".pem").toString(), "--coordinator",
                        cluster.getString("coordinator"), "--coordinator-key", coordinatorKey, "--yes",
                        "--passphrase-file", passphrase.toString());
                assertEquals(0, countersigned.exit(), countersigned.text() + countersigned.err());
            }

            byte[] text = "made by the nodes, signed by the quorum\n".getBytes(StandardCharsets.UTF_8);
            Path message = Files.write(dir.resolve("m.txt"), text);
            Run requested = OfflineImportAndSessionTest.escrow("request", "sign", "dkg-key", "--cluster",
                    dir.toString(), "--reason", "first signature of a DKG key", "--message-file", message.toString(),
                    "--json");
            assertEquals(0, requested.exit(), requested.err());
            String requestId = new JsonObject(requested.text()).getString("requestId");
            for (int i = 1; i <= 3; i++) {
                CustodianDesk.awaitReview(new NodeClient(url(nodes, i)), requestId, Duration.ofSeconds(60), null);
                String id = "custodian-" + i;
                Run approved = OfflineImportAndSessionTest.escrow("approve", requestId, "--as", id, "--key",
                        dir.resolve(id + ".pem").toString(), "--node", url(nodes, i), "--yes", "--passphrase-file",
                        passphrase.toString());
                assertEquals(0, approved.exit(), approved.text() + approved.err());
            }
            Run done = OfflineImportAndSessionTest.escrow("request", "status", requestId, "--cluster", dir.toString(),
                    "--wait-for", "EXECUTED", "--json");
            assertEquals(0, done.exit(), done.text() + done.err());
            byte[] signature = Base64.getDecoder().decode(new JsonObject(done.text()).getJsonArray("signatures")
                    .getString(0));
            assertTrue(Ed25519.verify(signature, 0, groupKey, 0, text, 0, text.length),
                    "Bouncy Castle accepts the signature under the group key");
            byte[] spki = java.util.Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + groupKey.length);
            System.arraycopy(groupKey, 0, spki, ED25519_SPKI.length, groupKey.length);
            Signature jdk = Signature.getInstance("Ed25519");
            jdk.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            jdk.update(text);
            assertTrue(jdk.verify(signature), "the JDK accepts the signature under the group key");
        } finally {
            Run stop = OfflineImportAndSessionTest.escrow("cluster", "stop", "--dir", dir.toString());
            assertEquals(0, stop.exit(), stop.err());
        }
    }

    private static String url(JsonArray nodes, int i) {
        return nodes.getJsonObject(i - 1).getString("url");
    }
}
