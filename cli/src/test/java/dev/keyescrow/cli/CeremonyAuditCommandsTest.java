package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.OfflineImportAndSessionTest.Run;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.signature.EcdsaP256;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a real development cluster (a coordinator and 3 node processes): the manifest review of
 * {@code key create}, {@code key show} and {@code key manifest}; a key with two holders on one
 * node; {@code custodians retire}; {@code audit show} on real signatures and on a forged answer;
 * {@code audit verify --contains} in both forms.
 */
class CeremonyAuditCommandsTest {
    @TempDir
    static Path dir;

    private static JsonObject cluster;
    private static CoordinatorClient coordinator;
    private static Path passphrase;
    private static String coordinatorKey;
    private static String coordinatorFingerprint;

    private static Run escrow(String... args) {
        return OfflineImportAndSessionTest.escrow(args);
    }

    private static String nodeUrl(int i) {
        return cluster.getJsonArray("nodes").getJsonObject(i - 1).getString("url");
    }

    @BeforeAll
    static void startClusterWithFourCustodians() throws Exception {
        Run start = escrow("cluster", "start", "--dir", dir.toString(), "--nodes", "3");
        assertEquals(0, start.exit(), start.text() + start.err());
        cluster = new JsonObject(Files.readString(dir.resolve("cluster.json")));
        coordinator = new CoordinatorClient(cluster.getString("coordinator"),
                Files.readString(Path.of(cluster.getString("operatorTokenFile"))).trim());
        passphrase = dir.resolve("custodian.pass");
        Files.writeString(passphrase, "custodian passphrase\n");
        for (int i = 1; i <= 4; i++) {
            register("custodian-" + i, i == 4 ? "node-1" : "node-" + i);
        }
        coordinatorKey = new NodeClient(nodeUrl(1)).node().getString("coordinatorPublicKey");
        coordinatorFingerprint = EcdsaP256.fingerprint(Base64.getDecoder().decode(coordinatorKey));
    }

    /** Registers a new custodian; answers what {@code custodian keygen} printed for it. */
    private static Run register(String id, String node) throws Exception {
        Run keygen = escrow("custodian", "keygen", "--id", id, "--out", dir.resolve(id + ".pem").toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(0, keygen.exit(), keygen.err());
        Run added = escrow("custodians", "add", "--cluster", dir.toString(), "--id", id, "--public-key",
                keygen.text().trim(), "--node", node);
        assertEquals(0, added.exit(), added.err());
        return keygen;
    }

    @AfterAll
    static void stopCluster() {
        Run stop = escrow("cluster", "stop", "--dir", dir.toString());
        assertEquals(0, stop.exit(), stop.err());
    }

    private static Run countersign(String keyId, int custodian, String... extra) {
        String id = "custodian-" + custodian;
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("countersign", keyId, "--version",
                "1", "--as", id, "--key", dir.resolve(id + ".pem").toString(), "--coordinator",
                cluster.getString("coordinator"), "--coordinator-key", coordinatorKey, "--yes", "--passphrase-file",
                passphrase.toString()));
        args.addAll(java.util.List.of(extra));
        return escrow(args.toArray(String[]::new));
    }

    @Test
    void twoHoldersOnOneNode_areShownEverywhere_andCountersignedOnlyWhenAllowed() throws Exception {
        Run created = escrow("key", "create", "--cluster", dir.toString(), "--name", "shared", "--algorithm",
                "AES-256", "--threshold", "3", "--custodians", "custodian-1,custodian-2,custodian-3,custodian-4");
        assertEquals(0, created.exit(), created.err());
        String warning = "WARNING SHARED NODE: holders 1 custodian-1, 4 custodian-4 are all on node node-1";
        assertTrue(created.text().contains("manifest of key shared version 1"), created.text());
        assertTrue(created.text().contains(warning), created.text());
        assertTrue(created.text().matches("(?s).*digest        ([0-9a-f]{4} ){15}[0-9a-f]{4} .*"), created.text());

        Run refused = countersign("shared", 1);
        assertEquals(2, refused.exit(), refused.text() + refused.err());
        assertTrue(refused.err().contains("--allow-shared-node"), refused.err());
        assertFalse(coordinator.key("shared").getJsonArray("versions").getJsonObject(0).getJsonArray("countersigned")
                .contains("custodian-1"), "nothing was countersigned");
        Run allowed = countersign("shared", 1, "--allow-shared-node");
        assertEquals(0, allowed.exit(), allowed.err());

        Run shown = escrow("key", "show", "shared", "--cluster", dir.toString());
        assertEquals(0, shown.exit(), shown.err());
        assertTrue(shown.text().contains(warning), shown.text());
        Run manifest = escrow("key", "manifest", "shared", "--version", "1", "--cluster", dir.toString());
        assertEquals(0, manifest.exit(), manifest.err());
        JsonObject readable = new JsonObject(manifest.text());
        assertEquals(4, readable.getJsonObject("manifest").getJsonArray("holders").size(), manifest.text());
        assertTrue(manifest.text().contains("\n  \"manifest\" : {\n"), "pretty, not escaped: " + manifest.text());
        Run review = escrow("key", "manifest", "shared", "--version", "1", "--review", "--cluster", dir.toString());
        assertEquals(0, review.exit(), review.err());
        assertTrue(review.text().contains(warning), review.text());
    }

    @Test
    void aRetiredIdIsGoneForGood_andAnIdInUseIsNotRetired() throws Exception {
        escrow("key", "create", "--cluster", dir.toString(), "--name", "holding", "--algorithm", "AES-256",
                "--threshold", "2", "--custodians", "custodian-2,custodian-3");
        Run inUse = escrow("custodians", "retire", "custodian-2", "--reason", "left", "--cluster", dir.toString());
        assertEquals(2, inUse.exit(), inUse.err());
        assertTrue(inUse.err().contains("holding v1 (PRE_ACTIVE)"), inUse.err());

        Run keygen = register("custodian-5", "node-2");
        Run retired = escrow("custodians", "retire", "custodian-5", "--reason", "registered by mistake", "--cluster",
                dir.toString());
        assertEquals(0, retired.exit(), retired.err());
        assertTrue(retired.text().startsWith("retired custodian-5 at "), retired.text());
        Run listed = escrow("custodians", "list", "--cluster", dir.toString());
        assertTrue(listed.text().matches("(?s).*custodian-5 on node-2 key SHA-256 \\S+ base64 \\S+ RETIRED \\S+ by"
                + " \\S+: registered by mistake.*"), listed.text());
        String printed = keygen.err().replaceAll("(?s).*public key SHA-256 (\\S+).*", "$1");
        assertTrue(listed.text().contains("custodian-5 on node-2 key SHA-256 " + printed + " "), listed.text());
        Run named = escrow("key", "create", "--cluster", dir.toString(), "--name", "never", "--algorithm", "AES-256",
                "--threshold", "2", "--custodians", "custodian-3,custodian-5");
        assertEquals(2, named.exit(), named.err());
        assertTrue(named.err().contains("custodian-5 was retired"), named.err());
    }

    @Test
    void auditShow_verifiesEverySignature_andNamesAForgedOne() throws Exception {
        Run created = escrow("key", "create", "--cluster", dir.toString(), "--name", "audited", "--algorithm",
                "AES-256", "--threshold", "2", "--custodians", "custodian-1,custodian-2,custodian-3");
        assertEquals(0, created.exit(), created.err());
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, countersign("audited", i).exit());
        }
        Run destroy = escrow("request", "destroy", "audited", "--version", "1", "--reason", "audit drill",
                "--cluster", dir.toString(), "--json");
        assertEquals(0, destroy.exit(), destroy.err());
        String requestId = new JsonObject(destroy.text()).getString("requestId");
        for (int i = 1; i <= 2; i++) {
            CustodianDesk.awaitReview(new NodeClient(nodeUrl(i)), requestId, Duration.ofSeconds(30), null);
            String id = "custodian-" + i;
            assertEquals(0, escrow("approve", requestId, "--as", id, "--key", dir.resolve(id + ".pem").toString(),
                    "--node", nodeUrl(i), "--yes", "--passphrase-file", passphrase.toString()).exit());
        }
        Run done = escrow("request", "status", requestId, "--cluster", dir.toString(), "--wait-for", "EXECUTED");
        assertEquals(0, done.exit(), done.text() + done.err());

        Run shown = escrow("audit", "show", "--cluster", dir.toString(), "--coordinator-fingerprint",
                coordinatorFingerprint);
        assertEquals(0, shown.exit(), shown.text() + shown.err());
        for (String line : new String[] {"OK      countersignature audited v1 by custodian-3",
            "OK      answer " + requestId + " APPROVE by custodian-1 at node-1",
            "OK      import receipt audited v1 share 2 by node-2", "OK      shred receipt " + requestId + " by node-"}) {
            assertTrue(shown.text().contains(line), line + " in " + shown.text());
        }
        Run wrongPin = escrow("audit", "show", "--cluster", dir.toString(), "--coordinator-fingerprint",
                "00".repeat(32));
        assertEquals(2, wrongPin.exit(), wrongPin.err());

        // the same answers, served by a forger who flipped one bit of custodian-2's approval
        JsonObject signatures = coordinator.auditSignatures();
        JsonObject forgedAnswer = signatures.getJsonArray("answers").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("requestId").equals(requestId) && a.getString("custodianId")
                        .equals("custodian-2")).findFirst().orElseThrow();
        byte[] signature = Base64.getDecoder().decode(forgedAnswer.getString("signature"));
        signature[10] ^= 0x01;
        forgedAnswer.put("signature", Base64.getEncoder().encodeToString(signature));
        try (RecordingServer forger = mirror(signatures)) {
            Run caught = escrow("audit", "show", "--coordinator", forger.url(), "--coordinator-key", coordinatorKey);
            assertEquals(2, caught.exit(), caught.text() + caught.err());
            assertTrue(caught.text().contains("FAILED  answer " + requestId + " APPROVE by custodian-2 at node-2"),
                    caught.text());
            assertTrue(caught.err().contains("1 of "), caught.err());
        }
    }

    /** A server answering like the coordinator, with {@code signatures} as its audit signatures. */
    private static RecordingServer mirror(JsonObject signatures) throws Exception {
        RecordingServer server = new RecordingServer().answer("GET /v1/audit", coordinator.audit().encode())
                .answer("GET /v1/nodes", coordinator.nodes().encode())
                .answer("GET /v1/audit/signatures", signatures.encode());
        Set<String> versions = new LinkedHashSet<>();
        for (String list : new String[] {"countersignatures", "importReceipts"}) {
            for (Object o : signatures.getJsonArray(list)) {
                JsonObject e = (JsonObject) o;
                versions.add(e.getString("keyId") + "/" + e.getInteger("version"));
            }
        }
        for (String v : versions) {
            String[] kv = v.split("/");
            server.answer("GET /v1/keys/" + kv[0] + "/versions/" + kv[1] + "/manifest",
                    coordinator.manifest(kv[0], Integer.parseInt(kv[1])).encode());
        }
        for (Object o : signatures.getJsonArray("answers")) {
            String id = ((JsonObject) o).getString("requestId");
            server.answer("GET /v1/requests/" + id, coordinator.request(id).encode());
        }
        return server;
    }

    @Test
    void auditVerify_confirmsThatAnEarlierHeadIsInTheChain_byFileAndByUrl() throws Exception {
        JsonObject logged = coordinator.audit();
        String head = logged.getLong("sequence") + ":" + logged.getString("head");
        register("custodian-6", "node-3");
        Path journal = dir.resolve("coordinator").resolve("state").resolve("journal").resolve("journal.log");

        Run file = escrow("audit", "verify", journal.toString(), "--contains", head);
        assertEquals(0, file.exit(), file.text() + file.err());
        assertTrue(file.text().contains("contains " + head + ": record " + logged.getLong("sequence")), file.text());
        Run url = escrow("audit", "verify", cluster.getString("coordinator"), "--contains", head, "--token-file",
                cluster.getString("operatorTokenFile"));
        assertEquals(0, url.exit(), url.text() + url.err());
        assertTrue(url.text().contains("contains " + head), url.text());

        String forged = logged.getLong("sequence") + ":" + "ab".repeat(32);
        for (String target : new String[] {journal.toString(), cluster.getString("coordinator")}) {
            Run mismatch = escrow("audit", "verify", target, "--contains", forged);
            assertEquals(2, mismatch.exit(), mismatch.text() + mismatch.err());
            assertTrue(mismatch.err().contains("does NOT contain " + forged + ": FORK"), mismatch.err());
        }
        Run later = escrow("audit", "verify", journal.toString(), "--contains", "999999:" + logged.getString("head"));
        assertEquals(2, later.exit());
        assertTrue(later.err().contains("TRUNCATION"), later.err());
        assertEquals(2, escrow("audit", "verify", journal.toString(), "--contains", "twelve").exit());

        Run directory = escrow("audit", "verify", dir.resolve("coordinator").resolve("state").toString());
        assertEquals(2, directory.exit());
        assertTrue(directory.err().contains("is a directory, not a journal file; the journal in it is"),
                directory.err());
        Path notAJournal = dir.resolve("copy");
        Files.createDirectories(notAJournal);
        Files.copy(journal.resolveSibling("writer.pub"), notAJournal.resolve("writer.pub"));
        Files.writeString(notAJournal.resolve("journal.log"), "{\"this\": \"is a configuration file\"}\n");
        Run garbage = escrow("audit", "verify", notAJournal.resolve("journal.log").toString());
        assertEquals(2, garbage.exit(), garbage.err());
        assertTrue(garbage.err().contains("is not a KeyEscrow journal"), garbage.err());
        Run missing = escrow("audit", "verify", dir.resolve("nothing.log").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("does not exist"), missing.err());
    }
}
