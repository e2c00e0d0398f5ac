package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import dev.keyescrow.cli.custodian.CustodianDesk;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escrow cluster start|status|stop} for real: 3 node processes and a coordinator
 * (SoftHSM2 tokens where installed), then a client that registers its own custodians,
 * creates and countersigns a 2-of-3 key, approves a USE at the nodes and encrypts; then stop,
 * and no process is left behind.
 */
class ClusterCommandTest {
    @TempDir
    Path dir;

    private String[] escrow(String... args) {
        return escrowWithInput("", args);
    }

    private String[] escrowWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void aDevelopmentClusterServesAWholeQuorumAndStopsCleanly() throws Exception {
        String[] start = escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "3");
        List<MemberProcess> members = LocalCluster.recorded(new ClusterLayout(dir));
        try {
            assertEquals("0", start[0], start[1] + start[2]);
            assertEquals(4, members.size());
            assertTrue(start[1].contains("operator token in"), start[1]);

            JsonObject cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
            assertEquals(List.of("coordinator", "nodes", "operatorTokenFile"), cluster.fieldNames().stream().sorted()
                    .toList());
            Path tokenFile = Path.of(cluster.getString("operatorTokenFile"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
            String token = Files.readString(tokenFile).trim();
            assertFalse(Files.readString(dir.resolve("coordinator").resolve("coordinator.json")).contains(token),
                    "only the token's hash is in the coordinator's configuration");

            assertEquals("2", escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "3")[0],
                    "a second start on a running directory is refused");
            assertEquals("0", escrow("cluster", "status", "--dir", dir.toString())[0]);
            String[] status = escrow("status", "--cluster", dir.toString());
            assertEquals("0", status[0], status[1] + status[2]);
            assertTrue(status[1].contains("node-3       up    token"), status[1]);

            CoordinatorClient coordinator = new CoordinatorClient(cluster.getString("coordinator"), token);
            JsonArray nodes = cluster.getJsonArray("nodes");
            assertEquals(3, coordinator.nodes().size(), "every node is enrolled");
            assertEquals(401, assertThrows(ApiException.class, () -> new CoordinatorClient(
                    cluster.getString("coordinator"), "wrong").registerCustodian("intruder", "AAAA", "node-1")).status());
            // each custodian makes a key on "their own machine" with the real command
            Path passphrase = dir.resolve("custodian.pass");
            Files.writeString(passphrase, "custodian passphrase\n");
            JsonArray custodians = new JsonArray();
            for (int i = 0; i < 3; i++) {
                String id = "custodian-" + (i + 1);
                String[] keygen = escrow("custodian", "keygen", "--id", id, "--out", dir.resolve(id + ".pem").toString(),
                        "--passphrase-file", passphrase.toString());
                assertEquals("0", keygen[0], keygen[2]);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                        dir.resolve(id + ".pem"))));
                assertTrue(Files.readString(dir.resolve(id + ".pem")).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY"));
                String[] add = escrow("custodians", "add", "--cluster", dir.toString(), "--id", id, "--public-key",
                        keygen[1].trim(), "--node", nodes.getJsonObject(i).getString("id"));
                assertEquals("0", add[0], add[2]);
                custodians.add(id);
            }
            assertEquals("2", escrow("custodian", "keygen", "--id", "custodian-1", "--out",
                    dir.resolve("custodian-1.pem").toString(), "--passphrase-file", passphrase.toString())[0],
                    "an existing key file is never overwritten");
            String[] created = escrow("key", "create", "--cluster", dir.toString(), "--name", "test-key", "--algorithm",
                    "AES-256", "--threshold", "2", "--custodians", "custodian-1,custodian-2,custodian-3", "--json");
            assertEquals("0", created[0], created[2]);
            JsonObject key = new JsonObject(created[1]);
            assertEquals("PRE_ACTIVE", key.getString("state"));
            assertEquals("2", escrow("key", "create", "--cluster", dir.toString(), "--name", "bad-key", "--algorithm",
                    "AES-256", "--threshold", "4", "--custodians", "custodian-1,custodian-2,custodian-3")[0],
                    "an impossible threshold is the caller's mistake: exit 2");
            String coordinatorKey = new dev.keyescrow.cli.client.NodeClient(nodes.getJsonObject(0).getString("url"))
                    .node().getString("coordinatorPublicKey");
            String coordinatorFingerprint = dev.keyescrow.core.signature.EcdsaP256.fingerprint(
                    java.util.Base64.getDecoder().decode(coordinatorKey));
            for (int i = 0; i < 3; i++) {
                String id = "custodian-" + (i + 1);
                // the first custodian gives the fingerprint and types the KCV; the others give the key and --yes
                String[] countersign = i == 0
                        ? escrowWithInput(key.getString("kcv") + "\n", "countersign", "test-key", "--version", "1",
                                "--as", id, "--key", dir.resolve(id + ".pem").toString(), "--coordinator",
                                cluster.getString("coordinator"), "--coordinator-fingerprint", coordinatorFingerprint,
                                "--node", nodes.getJsonObject(0).getString("url"), "--passphrase-file",
                                passphrase.toString())
                        : escrow("countersign", "test-key", "--version", "1", "--as", id, "--key",
                                dir.resolve(id + ".pem").toString(), "--coordinator", cluster.getString("coordinator"),
                                "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString());
                assertEquals("0", countersign[0], countersign[2]);
                assertTrue(countersign[1].contains("countersigned test-key v1 AES-256 2-of-3 KCV "
                        + key.getString("kcv")), countersign[1]);
                assertTrue(countersign[1].contains("signed by the coordinator key " + coordinatorFingerprint),
                        countersign[1]);
            }
            assertEquals("ACTIVE", coordinator.key("test-key").getJsonArray("versions").getJsonObject(0)
                    .getString("state"));

            assertTrue(escrow("key", "list", "--cluster", dir.toString())[1].contains("ACTIVE KCV " + key.getString("kcv")));
            String[] use = escrow("request", "use", "test-key", "--cluster", dir.toString(), "--reason", "cluster test",
                    "--max-operations", "2", "--session-seconds", "60", "--json");
            assertEquals("0", use[0], use[2]);
            String requestId = new JsonObject(use[1]).getString("requestId");
            for (int i : new int[] {0, 2}) {
                String nodeUrl = nodes.getJsonObject(i).getString("url");
                awaitReview(new NodeClient(nodeUrl), requestId);
                String[] pending = escrow("requests", "--node", nodeUrl);
                assertTrue(pending[1].contains(requestId) && pending[1].contains("USE of test-key"), pending[1]);
                String[] show = escrow("show", requestId, "--node", nodeUrl);
                assertEquals("0", show[0], show[2]);
                assertTrue(show[1].contains("coordinator signature verifies"), show[1]);
                String id = "custodian-" + (i + 1);
                String[] approve = escrow("approve", requestId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                        "--node", nodeUrl, "--yes", "--passphrase-file", passphrase.toString());
                assertEquals("0", approve[0], approve[2]);
                assertEquals("2", escrow("approve", requestId, "--as", id, "--key", dir.resolve(id + ".pem")
                        .toString(), "--node", nodeUrl, "--yes", "--passphrase-file", passphrase.toString())[0],
                        "a replayed answer is refused");
            }
            JsonObject view = coordinator.request(requestId);
            for (int i = 0; i < 300 && !"ACTIVE".equals(view.getString("state")); i++) {
                Thread.sleep(100);
                view = coordinator.request(requestId);
            }
            assertEquals("ACTIVE", view.getString("state"), view.encodePrettily());
            assertTrue(escrow("request", "status", requestId, "--cluster", dir.toString())[1].contains(": ACTIVE"));
            String message = Base64.getEncoder().encodeToString("over HTTP".getBytes(StandardCharsets.UTF_8));
            String ciphertext = coordinator.encrypt(requestId, message, null).getString("ciphertext");
            assertEquals(message, coordinator.decrypt(requestId, ciphertext, null).getString("plaintext"));

            // EXPORT: the recipient's key on its own machine; the export fetched once and opened there
            String[] recipient = escrow("export", "keygen", "--out", dir.resolve("recipient.pem").toString(),
                    "--passphrase-file", passphrase.toString());
            assertEquals("0", recipient[0], recipient[2]);
            String[] export = escrow("request", "export", "test-key", "--cluster", dir.toString(), "--reason",
                    "lost key drill", "--recipient-public-key", recipient[1].trim(), "--json");
            assertEquals("0", export[0], export[2]);
            String exportId = new JsonObject(export[1]).getString("requestId");
            for (int i : new int[] {1, 2}) {
                String nodeUrl = nodes.getJsonObject(i).getString("url");
                awaitReview(new NodeClient(nodeUrl), exportId);
                String id = "custodian-" + (i + 1);
                assertEquals("0", escrow("approve", exportId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                        "--node", nodeUrl, "--yes", "--passphrase-file", passphrase.toString())[0]);
            }
            JsonObject exportView = coordinator.request(exportId);
            for (int i = 0; i < 300 && !"ACTIVE".equals(exportView.getString("state")); i++) {
                Thread.sleep(100);
                exportView = coordinator.request(exportId);
            }
            assertEquals("ACTIVE", exportView.getString("state"), exportView.encodePrettily());
            Path exportFile = dir.resolve("export.json");
            String[] fetch = escrow("export", "fetch", exportId, "--cluster", dir.toString(), "--out",
                    exportFile.toString());
            assertEquals("0", fetch[0], fetch[2]);
            assertEquals("2", escrow("export", "fetch", exportId, "--cluster", dir.toString(), "--out",
                    dir.resolve("again.json").toString())[0], "an export is delivered once");
            // the recipient pins the nodes' identity keys by fingerprint (from the enrolment record)
            List<String> pins = new java.util.ArrayList<>();
            for (Object n : coordinator.nodes()) {
                JsonObject node = (JsonObject) n;
                pins.add(node.getString("id") + "=" + node.getString("identityFingerprint"));
            }
            String[] recovered = escrow("export", "recover", "--key", dir.resolve("recipient.pem").toString(), "--in",
                    exportFile.toString(), "--passphrase-file", passphrase.toString(), "--trust-nodes",
                    String.join(",", pins));
            assertEquals("0", recovered[0], recovered[2]);
            assertEquals(64, recovered[1].trim().length(), "the 256-bit key as hex");
            assertTrue(recovered[2].contains("AES-256, 32 bytes, KCV " + key.getString("kcv") + " (matches the manifest"),
                    recovered[2]);

            // the paper backup on the offline machine, and the import of the recovered key into a cluster
            String keyHex = recovered[1].trim();
            String[] paper = escrowWithInput(keyHex + "\n", "paper", "split", "--group-threshold", "1", "--group",
                    "2-of-3", "--iteration-exponent", "0");
            assertEquals("0", paper[0], paper[2]);
            String twoCards = java.util.Arrays.stream(paper[1].split("\n")).filter(l -> l.trim().startsWith("share 1:")
                    || l.trim().startsWith("share 3:")).collect(java.util.stream.Collectors.joining("\n"));
            String[] fromPaper = escrowWithInput(twoCards + "\n", "paper", "recover", "--no-passphrase", "--algorithm",
                    "AES-256");
            assertEquals("0", fromPaper[0], fromPaper[2]);
            assertTrue(fromPaper[2].contains("AES-256, 32 bytes, KCV " + key.getString("kcv")), fromPaper[2]);
            assertEquals(keyHex, fromPaper[1].trim(), "two of three cards give the key back");
            assertEquals("2", escrowWithInput(keyHex + "\n", "key", "import", "--cluster", dir.toString(), "--name",
                    "restored-key", "--algorithm", "AES-256", "--threshold", "2", "--custodians",
                    "custodian-1,custodian-2,custodian-3", "--kcv", "000000")[0], "a KCV that does not match imports nothing");
            String[] imported = escrowWithInput(fromPaper[1], "key", "import", "--cluster", dir.toString(), "--name",
                    "restored-key", "--algorithm", "AES-256", "--threshold", "2", "--custodians",
                    "custodian-1,custodian-2,custodian-3", "--kcv", key.getString("kcv"));
            assertEquals("0", imported[0], imported[2]);
            assertTrue(imported[1].contains("PRE_ACTIVE KCV " + key.getString("kcv")), imported[1]);
            for (int i = 0; i < 3; i++) {
                String id = "custodian-" + (i + 1);
                assertEquals("0", escrow("countersign", "restored-key", "--version", "1", "--as", id, "--key",
                        dir.resolve(id + ".pem").toString(), "--coordinator", cluster.getString("coordinator"),
                        "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file", passphrase.toString())[0]);
            }
            assertEquals("ACTIVE", coordinator.key("restored-key").getJsonArray("versions").getJsonObject(0)
                    .getString("state"));

            // a cancelled request is closed at the nodes too: no answer counts any more
            String[] destroy = escrow("request", "destroy", "test-key", "--cluster", dir.toString(), "--reason",
                    "changed our mind", "--json");
            String destroyId = new JsonObject(destroy[1]).getString("requestId");
            String node1 = nodes.getJsonObject(0).getString("url");
            awaitReview(new NodeClient(node1), destroyId);
            assertEquals("0", escrow("request", "cancel", destroyId, "--cluster", dir.toString())[0]);
            JsonObject atNode = new NodeClient(node1).request(destroyId);
            for (int i = 0; i < 300 && !"CANCELLED".equals(atNode.getString("state")); i++) {
                Thread.sleep(100);
                atNode = new NodeClient(node1).request(destroyId);
            }
            assertEquals("CANCELLED", atNode.getString("state"));
            assertEquals("2", escrow("approve", destroyId, "--as", "custodian-1", "--key", dir.resolve("custodian-1.pem")
                    .toString(), "--node", node1, "--yes", "--passphrase-file", passphrase.toString())[0]);

            String[] audit = escrow("audit", "verify", cluster.getString("coordinator"));
            assertEquals("0", audit[0], audit[2]);
            assertTrue(audit[1].startsWith("OK: "), audit[1]);
            String[] nodeAudit = escrow("audit", "verify", dir.resolve("node-1").resolve("state").resolve("journal")
                    .resolve("journal.log").toString());
            assertEquals("0", nodeAudit[0], nodeAudit[2]);

            // n - t nodes down: node-2 is killed, and custodians 1 and 3 still reach the quorum
            MemberProcess node2 = members.stream().filter(m -> m.id().equals("node-2")).findFirst().orElseThrow();
            ProcessHandle.of(node2.pid()).orElseThrow().destroyForcibly();
            ProcessHandle.of(node2.pid()).ifPresent(p -> p.onExit().join());
            assertEquals("1", escrow("status", "--cluster", dir.toString())[0], "status reports the dead node");
            String[] degraded = escrow("request", "use", "test-key", "--cluster", dir.toString(), "--reason",
                    "one node down", "--json");
            assertEquals("0", degraded[0], degraded[2]);
            String degradedId = new JsonObject(degraded[1]).getString("requestId");
            for (int i : new int[] {0, 2}) {
                String nodeUrl = nodes.getJsonObject(i).getString("url");
                awaitReview(new NodeClient(nodeUrl), degradedId);
                String id = "custodian-" + (i + 1);
                assertEquals("0", escrow("approve", degradedId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                        "--node", nodeUrl, "--yes", "--passphrase-file", passphrase.toString())[0]);
            }
            JsonObject degradedView = coordinator.request(degradedId);
            for (int i = 0; i < 300 && !"ACTIVE".equals(degradedView.getString("state")); i++) {
                Thread.sleep(100);
                degradedView = coordinator.request(degradedId);
            }
            assertEquals("ACTIVE", degradedView.getString("state"), "t of n holders are enough");

            // n - t + 1 nodes down: node-3 is killed too. Custodian 3 cannot answer (refused cleanly, exit 1,
            // nothing changes), custodian 1 alone is not t, and the request waits; once both nodes are back it completes
            LocalCluster local = new LocalCluster(dir, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            local.kill("node-3");
            String node1Url = nodes.getJsonObject(0).getString("url");
            String node3Url = nodes.getJsonObject(2).getString("url");
            String[] starved = escrow("request", "use", "test-key", "--cluster", dir.toString(), "--reason",
                    "two nodes down", "--json");
            assertEquals("0", starved[0], starved[2]);
            String starvedId = new JsonObject(starved[1]).getString("requestId");
            awaitReview(new NodeClient(node1Url), starvedId);
            assertEquals("0", escrow("approve", starvedId, "--as", "custodian-1", "--key", dir.resolve("custodian-1.pem")
                    .toString(), "--node", node1Url, "--yes", "--passphrase-file", passphrase.toString())[0]);
            String[] unreachable = escrow("approve", starvedId, "--as", "custodian-3", "--key",
                    dir.resolve("custodian-3.pem").toString(), "--node", node3Url, "--yes", "--passphrase-file",
                    passphrase.toString());
            assertEquals("1", unreachable[0], "a node that is down is a failure to reach it, not bad input");
            assertTrue(unreachable[2].contains("cannot reach"), unreachable[2]);
            JsonObject waiting = coordinator.request(starvedId);
            assertEquals("PENDING", waiting.getString("state"), "1 approval of t = 2: nothing is released");
            assertEquals(0, waiting.getJsonArray("releases").size(), waiting.encode());

            local.restart("node-2");
            local.restart("node-3");
            awaitReview(new NodeClient(node3Url), starvedId);
            assertEquals("0", escrow("approve", starvedId, "--as", "custodian-3", "--key", dir.resolve("custodian-3.pem")
                    .toString(), "--node", node3Url, "--yes", "--passphrase-file", passphrase.toString())[0]);
            JsonObject back = coordinator.requestChangedFrom(starvedId, "PENDING", 20);
            for (int i = 0; i < 30 && !"ACTIVE".equals(back.getString("state")); i++) {
                back = coordinator.requestChangedFrom(starvedId, back.getString("state"), 20);
            }
            assertEquals("ACTIVE", back.getString("state"), "with its nodes back the quorum completes");
        } finally {
            String[] stop = escrow("cluster", "stop", "--dir", dir.toString());
            assertEquals("0", stop[0], stop[2]);
        }
        for (MemberProcess m : members) {
            assertFalse(ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false), m.id() + " still runs");
        }
        assertEquals("1", escrow("cluster", "status", "--dir", dir.toString())[0], "every member is reported dead");
    }

    private static dev.keyescrow.cli.custodian.ReviewedRequest awaitReview(NodeClient node, String requestId)
            throws Exception {
        return CustodianDesk.awaitReview(node, requestId, java.time.Duration.ofSeconds(30), null);
    }
}
