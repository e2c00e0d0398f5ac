package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.coordinator.quorum.SealedKeyStore;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.journal.blob.BlobId;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.journal.blob.BlobStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack of the outside review (issue 13, finding 1): an operator token plus read access
 * to the coordinator's files. A request's ephemeral private key is sealed in the coordinator's
 * state directory; if key import opens that blob, the attacker gets the ephemeral key shared to
 * custodians of their choosing, exports it, and opens the honest nodes' releases of the victim
 * request. What must hold: the sealed blob, taken from disk, is refused by
 * {@code POST /v1/keys/import} under the request's id and under any other name, with a 4xx
 * problem, and nothing changes. Run on the development vault and on SoftHSM2.
 */
class SealedKeyImportAttackTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "softhsm2 = {0}")
    @ValueSource(booleans = {false, true})
    void sealedEphemeralKeyFromDisk_doesNotOpenThroughKeyImport(boolean softHsm2) throws Exception {
        try (TestCluster cluster = softHsm2
                ? new TestCluster(dir, 3, Duration.ofSeconds(30), SoftHsm2Tokens::provision)
                : new TestCluster(dir, 3)) {
            cluster.registerCustodians();
            cluster.createActiveKey("victim-key");
            Response use = cluster.post("/v1/keys/victim-key/requests", new JsonObject().put("operation", "USE")
                    .put("reason", "victim's USE").put("params", new JsonObject().put("maxOperations", 1)
                            .put("sessionSeconds", 60)), TestCluster.ALICE);
            assertEquals(201, use.status(), use.body());
            String requestId = use.json().getString("requestId");

            // the attacker reads the coordinator's state directory
            List<byte[]> sealed = sealedBlobsOnDisk(cluster.config.stateDirectory(), dir.resolve("stolen"));
            assertFalse(sealed.isEmpty(), "the pending request's sealed key is on disk");

            for (String name : new String[] {requestId, "stolen-key"}) {
                for (byte[] envelope : sealed) {
                    assertImportRefused(cluster, name, envelope);
                }
            }
            assertEquals("PENDING", cluster.get("/v1/requests/" + requestId).json().getString("state"));

            // a genuine key-import envelope, as 'escrow key import' makes it, under the request's id: refused by name
            byte[] transport = Base64.getDecoder().decode(cluster.get("/v1/coordinator").json()
                    .getString("transportPublicKey"));
            try (SecretBytes key = SecretBytes.moveFrom(randomBytes(cluster, 32))) {
                assertImportRefused(cluster, requestId, ShareSender.wrapForKeyImport(transport, requestId,
                        KeyAlgorithm.AES_256, key, cluster.random));
                assertImportRefused(cluster, "req-0000000000000000", ShareSender.wrapForKeyImport(transport,
                        "req-0000000000000000", KeyAlgorithm.AES_256, key, cluster.random));
                // envelopes in the earlier sealing format (an import envelope to the transport key for
                // share (name, 1, 1, 32)), as older journals still hold inline: refused under any name
                for (String name : new String[] {requestId, "legacy-key"}) {
                    assertImportRefused(cluster, name, ShareSender.wrapForImport(transport,
                            new ShareRef(name, 1, 1, 32), key, cluster.random));
                }
                // and the same path imports it under a key's name: the refusals above are not a broken import
                Response ok = importKey(cluster, "restored-key", ShareSender.wrapForKeyImport(transport,
                        "restored-key", KeyAlgorithm.AES_256, key, cluster.random));
                assertEquals(201, ok.status(), ok.body());
                assertEquals("PRE_ACTIVE", ok.json().getString("state"));
            }
        }
    }

    private static byte[] randomBytes(TestCluster cluster, int length) {
        byte[] out = new byte[length];
        cluster.random.nextBytes(out);
        return out;
    }

    private static Response importKey(TestCluster cluster, String name, byte[] envelope) throws Exception {
        return cluster.post("/v1/keys/import", new JsonObject().put("name", name).put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-2")
                        .add("custodian-3"))
                .put("envelope", Base64.getEncoder().encodeToString(envelope)), TestCluster.ALICE);
    }

    /** The import is a 4xx problem, no key of that name exists, and neither the key list nor the journal moved. */
    private static void assertImportRefused(TestCluster cluster, String name, byte[] envelope) throws Exception {
        long sequence = journalSequence(cluster);
        String keysBefore = cluster.get("/v1/keys").body();
        Response r = importKey(cluster, name, envelope);
        assertTrue(r.status() >= 400 && r.status() < 500, "import under " + name + " must be refused, got "
                + r.status() + " " + r.body());
        assertEquals("application/problem+json", r.contentType());
        assertEquals(r.status(), r.json().getInteger("status"));
        assertEquals(404, cluster.get("/v1/keys/" + name).status(), "no key " + name + " exists");
        assertEquals(keysBefore, cluster.get("/v1/keys").body());
        assertEquals(sequence, journalSequence(cluster), "nothing was journaled");
    }

    /** What a reader of the files gets: every blob of the sealed-key store, read from a copy of its directory. */
    private static List<byte[]> sealedBlobsOnDisk(Path stateDirectory, Path copy) throws Exception {
        Path source = stateDirectory.resolve(SealedKeyStore.DIRECTORY);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(source)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        List<byte[]> out = new ArrayList<>();
        try (BlobStore store = BlobStore.open(copy)) {
            for (BlobId id : store.ids()) {
                out.add(store.get(id).orElseThrow());
            }
        }
        return out;
    }

    private static long journalSequence(TestCluster cluster) throws Exception {
        return cluster.get("/v1/audit").json().getLong("sequence");
    }

}
