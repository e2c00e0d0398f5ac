package dev.keyescrow.coordinator;

import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.quorum.MessageRetention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.IMap;
import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.Statements;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The coordinator end to end: real HTTP, real Hazelcast members, real journal, real
 * software tokens in five honest stand-in nodes (some told to misbehave in the adversarial
 * tests). One fixture for the class; each test uses its own requests (and keys where it
 * changes a key's state).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorClusterTest {
    @TempDir
    static Path dir;

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 5);
        cluster.registerCustodians();
        JsonObject created = createKey("payments-key", "AES-256", 3, 5);
        countersignAll("payments-key", 1, 5);
        assertEquals("payments-key", created.getString("keyId"));
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    @AfterEach
    void honestAgain() {
        cluster.nodes.forEach(n -> n.behave(StandInNode.Behaviour.HONEST));
    }

    // ---------------------------------------------------------------- helpers

    private JsonObject createKey(String name, String algorithm, int threshold, int n) throws Exception {
        JsonArray custodians = new JsonArray();
        for (int i = 1; i <= n; i++) {
            custodians.add("custodian-" + i);
        }
        Response r = cluster.post("/v1/keys", new JsonObject().put("name", name).put("algorithm", algorithm)
                .put("threshold", threshold).put("custodians", custodians), TestCluster.ALICE);
        assertEquals(201, r.status(), r.body());
        JsonObject body = r.json();
        assertEquals("PRE_ACTIVE", body.getString("state"));
        assertEquals(threshold, body.getInteger("threshold"));
        assertEquals(n, body.getInteger("shares"));
        assertTrue(body.getString("kcv").matches("[0-9a-f]{6}"));
        return body;
    }

    private Manifest manifest(String keyId, int version) throws Exception {
        Response r = cluster.get("/v1/keys/" + keyId + "/versions/" + version + "/manifest");
        assertEquals(200, r.status(), r.body());
        Manifest manifest = Manifest.parse(r.json().getString("canonical").getBytes(StandardCharsets.UTF_8));
        assertEquals(manifest.digest(), r.json().getString("digest"));
        return manifest;
    }

    private String countersignAll(String keyId, int version, int n) throws Exception {
        Manifest manifest = manifest(keyId, version);
        String state = null;
        for (int i = 1; i <= n; i++) {
            String custodian = "custodian-" + i;
            byte[] signature = dev.keyescrow.core.signature.Ed25519.sign(cluster.custodianKey(i),
                    manifest.countersignatureStatement(custodian));
            Response r = cluster.post("/v1/keys/" + keyId + "/versions/" + version + "/countersignatures",
                    new JsonObject().put("custodianId", custodian)
                            .put("signature", Base64.getEncoder().encodeToString(signature)), null);
            assertEquals(201, r.status(), r.body());
            state = r.json().getString("state");
            assertEquals(i == n ? "ACTIVE" : "PRE_ACTIVE", state);
        }
        return state;
    }

    private JsonObject request(String keyId, String operation, JsonObject params, Long ttl) throws Exception {
        JsonObject body = new JsonObject().put("operation", operation).put("reason", "test " + operation)
                .put("params", params);
        if (ttl != null) {
            body.put("ttlSeconds", ttl);
        }
        Response r = cluster.post("/v1/keys/" + keyId + "/requests", body, TestCluster.ALICE);
        assertEquals(201, r.status(), r.body());
        assertEquals("PENDING", r.json().getString("state"));
        return r.json();
    }

    private JsonObject useRequest(long maxOperations) throws Exception {
        return request("payments-key", "USE", new JsonObject().put("maxOperations", maxOperations)
                .put("sessionSeconds", 300), null);
    }

    private CanonicalRequest canonical(String requestId) throws Exception {
        Response r = cluster.get("/v1/requests/" + requestId);
        assertEquals(200, r.status(), r.body());
        return CanonicalRequest.parse(r.json().getString("canonical").getBytes(StandardCharsets.UTF_8));
    }

    /** Custodians {@code indices} approve at their own nodes. */
    private void approve(String requestId, int... indices) throws Exception {
        CanonicalRequest request = canonical(requestId);
        for (int i : indices) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE, cluster.custodianKey(i)));
        }
    }

    private JsonObject view(String requestId) throws Exception {
        Response r = cluster.get("/v1/requests/" + requestId);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private void awaitState(String requestId, String state) throws Exception {
        TestCluster.await(requestId + " " + state, () -> state.equals(view(requestId).getString("state")));
    }

    private Response encrypt(String requestId, String bearer, byte[] plaintext, byte[] aad) throws Exception {
        JsonObject body = new JsonObject().put("plaintext", Base64.getEncoder().encodeToString(plaintext));
        if (aad != null) {
            body.put("aad", Base64.getEncoder().encodeToString(aad));
        }
        return cluster.post("/v1/requests/" + requestId + "/encrypt", body, bearer);
    }

    private Response decrypt(String requestId, String bearer, String ciphertext, byte[] aad) throws Exception {
        JsonObject body = new JsonObject().put("ciphertext", ciphertext);
        if (aad != null) {
            body.put("aad", Base64.getEncoder().encodeToString(aad));
        }
        return cluster.post("/v1/requests/" + requestId + "/decrypt", body, bearer);
    }

    private IMap<String, byte[]> releases() {
        return cluster.nodeMember.getMap(ClusterMaps.RELEASES);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void enrolledNodesShowTheirPinnedKeysAndFingerprints() throws Exception {
        Response r = cluster.get("/v1/nodes");
        assertEquals(200, r.status());
        JsonArray nodes = r.array();
        assertEquals(5, nodes.size());
        JsonObject first = nodes.getJsonObject(0);
        assertEquals("node-1", first.getString("id"));
        byte[] identity = cluster.node(1).token.identity().publicKey();
        assertEquals(Base64.getEncoder().encodeToString(identity), first.getString("identityPublicKey"));
        assertEquals(dev.keyescrow.core.signature.EcdsaP256.fingerprint(identity),
                first.getString("identityFingerprint"));
        List<String> custodians = cluster.get("/v1/custodians").array().stream()
                .map(c -> ((JsonObject) c).getString("id")).toList();
        assertTrue(custodians.containsAll(List.of("custodian-1", "custodian-2", "custodian-3", "custodian-4",
                "custodian-5")), "the five of the fixture (another test may register one more): " + custodians);
    }

    @Test
    void useSession_encryptsDecryptsForItsRequesterOnly_thenEnds() throws Exception {
        JsonObject created = useRequest(3);
        String id = created.getString("requestId");
        approve(id, 1, 2, 3);
        awaitState(id, "ACTIVE");
        JsonObject active = view(id);
        assertTrue(active.getJsonArray("releases").size() >= 3, active.encode());
        assertEquals(0, active.getJsonArray("badReleases").size());

        byte[] plaintext = "settle 1,000,000 EUR".getBytes(StandardCharsets.UTF_8);
        byte[] aad = "batch-42".getBytes(StandardCharsets.UTF_8);
        Response sealed = encrypt(id, TestCluster.ALICE, plaintext, aad);
        assertEquals(200, sealed.status(), sealed.body());
        String ciphertext = sealed.json().getString("ciphertext");
        assertEquals(12 + plaintext.length + 16, Base64.getDecoder().decode(ciphertext).length);

        Response otherOperator = decrypt(id, TestCluster.BOB, ciphertext, aad);
        assertEquals(403, otherOperator.status(), otherOperator.body());
        assertEquals("application/problem+json", otherOperator.contentType());
        Response wrongAad = decrypt(id, TestCluster.ALICE, ciphertext, "batch-43".getBytes(StandardCharsets.UTF_8));
        assertEquals(422, wrongAad.status(), wrongAad.body());

        Response opened = decrypt(id, TestCluster.ALICE, ciphertext, aad);
        assertEquals(200, opened.status(), opened.body());
        assertArrayEquals(plaintext, Base64.getDecoder().decode(opened.json().getString("plaintext")));

        Response third = encrypt(id, TestCluster.ALICE, plaintext, null);
        assertEquals(200, third.status(), third.body());
        Response fourth = encrypt(id, TestCluster.ALICE, plaintext, null);
        assertEquals(409, fourth.status(), fourth.body());
        assertTrue(fourth.json().getString("detail").contains("ended"), fourth.body());
        assertEquals("EXECUTED", view(id).getString("state"));

        Response verify = cluster.get("/v1/audit/verify");
        assertEquals(200, verify.status());
        assertTrue(verify.json().getBoolean("ok"), verify.body());
    }

    @Test
    void metrics_countRequestsByState_inThePrometheusTextFormat() throws Exception {
        useRequest(3);
        Response metrics = cluster.get("/metrics");
        assertEquals(200, metrics.status(), metrics.body());
        assertTrue(metrics.contentType().startsWith("text/plain; version=0.0.4"), metrics.contentType());
        long byState = 0;
        long created = -1;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("keyescrow_coordinator_requests{state=")) {
                byState += Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            } else if (line.startsWith("keyescrow_coordinator_journal_records_total{kind=\"request-created\"}")) {
                created = Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
            } else {
                assertTrue(line.startsWith("# ") || line.startsWith("keyescrow_coordinator_"), line);
            }
        }
        int requests = new io.vertx.core.json.JsonArray(cluster.get("/v1/requests").body()).size();
        assertEquals(requests, byState, "every request is counted in exactly one state");
        assertEquals(requests, created, "one request-created record per request");
        assertTrue(metrics.body().contains("keyescrow_coordinator_http_requests_total{class=\"2xx\"}"), metrics.body());
        assertTrue(metrics.body().contains("keyescrow_coordinator_sessions_open "), metrics.body());
        assertTrue(metrics.body().contains("keyescrow_coordinator_sealed_keys "), metrics.body());
    }

    /** {@code ?changedFrom=STATE&wait=S}: one call that answers when the state moves on. */
    @Test
    void aLongPoll_answersWhenTheStateChanges_andRefusesBadParameters() throws Exception {
        String id = useRequest(3).getString("requestId");
        java.util.concurrent.CompletableFuture<Response> changed = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return cluster.get("/v1/requests/" + id + "?changedFrom=PENDING&wait=30");
                    } catch (Exception e) {
                        throw new java.util.concurrent.CompletionException(e);
                    }
                });
        Thread.sleep(300);
        assertFalse(changed.isDone(), "nothing has changed yet, so the poll must still wait");
        approve(id, 1, 2, 3);
        Response moved = changed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(200, moved.status(), moved.body());
        assertNotEquals("PENDING", moved.json().getString("state"), moved.body());

        awaitState(id, "ACTIVE");
        Response unchanged = cluster.get("/v1/requests/" + id + "?changedFrom=ACTIVE&wait=1");
        assertEquals(200, unchanged.status(), unchanged.body());
        assertEquals("ACTIVE", unchanged.json().getString("state"), "after its wait, the view as it is");
        for (String bad : new String[] {"changedFrom=NAPPING", "changedFrom=ACTIVE&wait=0",
                "changedFrom=ACTIVE&wait=61", "changedFrom=ACTIVE&wait=soon"}) {
            Response refused = cluster.get("/v1/requests/" + id + "?" + bad);
            assertEquals(400, refused.status(), bad + ": " + refused.body());
            assertEquals("application/problem+json", refused.contentType(), bad);
        }
    }

    @Test
    void fewerThanThresholdApprovals_releaseNothing_andOpenNoSession() throws Exception {
        String id = useRequest(5).getString("requestId");
        approve(id, 1, 2);
        for (int i = 1; i <= 5; i++) {
            StandInNode node = cluster.node(i);
            TestCluster.await("node sees 2 answers", () -> node.answersSeen(id) == 2);
        }
        TestCluster.await("coordinator counts 2 approvals", () -> view(id).getInteger("approvals") == 2);
        assertTrue(releases().keySet().stream().noneMatch(k -> k.startsWith(id + "/")));
        JsonObject view = view(id);
        assertEquals("PENDING", view.getString("state"));
        assertEquals(0, view.getJsonArray("releases").size());
        Response refused = encrypt(id, TestCluster.ALICE, new byte[] {1}, null);
        assertEquals(409, refused.status(), refused.body());
    }

    /**
     * A custodian registered after the ceremony is not in the manifest, and a forged answer
     * does not verify: neither counts at the coordinator or at any node, and the genuine
     * answers still complete the quorum.
     */
    @Test
    void aLateCustodianAndAForgedAnswer_countNowhere() throws Exception {
        SecretBytes lateKey = Ed25519.generatePrivateKey(new SecureRandom());
        Response registered = cluster.post("/v1/custodians", new JsonObject().put("id", "custodian-late")
                .put("publicKey", Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(lateKey)))
                .put("nodeId", "node-1"), TestCluster.ALICE);
        assertEquals(201, registered.status(), registered.body());
        String id = useRequest(1).getString("requestId");
        CanonicalRequest request = canonical(id);
        cluster.node(1).answer(Approval.sign(request, "custodian-late", Decision.APPROVE, lateKey));
        Approval genuineOfOne = Approval.sign(request, "custodian-1", Decision.APPROVE, cluster.custodianKey(1));
        cluster.node(4).answer(new Approval(id, request.digest(), "custodian-4", Decision.APPROVE,
                genuineOfOne.signature()));
        approve(id, 2);
        for (int i = 1; i <= 5; i++) {
            StandInNode node = cluster.node(i);
            TestCluster.await("node sees 3 answers", () -> node.answersSeen(id) == 3);
        }
        server().drain();
        JsonObject view = view(id);
        assertEquals(List.of("custodian-2"), view.getJsonArray("approvers").getList(), view.encode());
        assertEquals("PENDING", view.getString("state"));
        assertTrue(releases().keySet().stream().noneMatch(k -> k.startsWith(id + "/")), "no node released");

        approve(id, 3, 5);
        awaitState(id, "ACTIVE");
        assertEquals(List.of("custodian-2", "custodian-3", "custodian-5"), view(id).getJsonArray("approvers").getList());
        lateKey.destroy();
    }

    @Test
    void cancelWithoutCredentials_isUnauthorized_andChangesNothing() throws Exception {
        String id = useRequest(1).getString("requestId");
        Response none = cluster.post("/v1/requests/" + id + "/cancel", null, null);
        assertEquals(401, none.status(), none.body());
        assertEquals("application/problem+json", none.contentType());
        Response wrong = cluster.post("/v1/requests/" + id + "/cancel", null, "not-a-token");
        assertEquals(401, wrong.status(), wrong.body());
        assertEquals("PENDING", view(id).getString("state"));

        Response cancelled = cluster.post("/v1/requests/" + id + "/cancel", null, TestCluster.BOB);
        assertEquals(200, cancelled.status(), cancelled.body());
        assertEquals("CANCELLED", cancelled.json().getString("state"));
        approve(id, 1, 2, 3);
        for (int i = 1; i <= 5; i++) {
            StandInNode node = cluster.node(i);
            TestCluster.await("node sees 3 answers", () -> node.answersSeen(id) == 3);
        }
        server().drain();
        assertEquals("CANCELLED", view(id).getString("state"));
        Response again = cluster.post("/v1/requests/" + id + "/cancel", null, TestCluster.BOB);
        assertEquals(409, again.status(), again.body());
    }

    private Coordinator server() {
        return cluster.server.coordinator();
    }

    @Test
    void forgedAndCorruptReleases_areNamedByIndexAndNode_andNeverCombined() throws Exception {
        cluster.node(3).behave(StandInNode.Behaviour.CORRUPT_RELEASES);
        cluster.node(4).behave(StandInNode.Behaviour.HOLD_RELEASES);
        cluster.node(5).behave(StandInNode.Behaviour.HOLD_RELEASES);
        String id = useRequest(2).getString("requestId");
        approve(id, 1, 2, 3);
        TestCluster.await("node-5 holds its release", () -> cluster.node(5).heldCount() == 1);
        TestCluster.await("the corrupt release is named", () -> hasBadRelease(id, 3, "node-3", "does not open"));

        CanonicalRequest request = canonical(id);
        SoftwareP256Signer impostor = SoftwareP256Signer.generate(new SecureRandom());
        byte[] wrapped = new byte[40];
        new SecureRandom().nextBytes(wrapped);
        byte[] digest = HexFormat.of().parseHex(request.digest());
        byte[] signature = impostor.sign(Statements.release(id, digest, "node-4",
                new ShareRef("payments-key", 1, 4, 32), wrapped));
        ReleaseMessage forged = new ReleaseMessage(id, request.digest(), "node-4", "payments-key", 1, 4, 32, wrapped,
                signature);
        releases().set(forged.key(), forged.encode());
        TestCluster.await("the forged release is named",
                () -> hasBadRelease(id, 4, "node-4", "does not verify under the node's pinned identity key"));

        JsonObject records = cluster.get("/v1/audit").json().getJsonObject("records");
        assertEquals(1L, records.getLong("release-refused"), "only the release node-3 signed is journaled: "
                + records.encode());
        JsonObject view = view(id);
        assertEquals("APPROVED", view.getString("state"), view.encode());
        assertEquals(2, view.getJsonArray("releases").size(), view.encode());
        assertEquals(409, encrypt(id, TestCluster.ALICE, new byte[] {1}, null).status());

        cluster.node(5).releaseHeld();
        awaitState(id, "ACTIVE");
        Response sealed = encrypt(id, TestCluster.ALICE, new byte[] {7, 7, 7}, null);
        assertEquals(200, sealed.status(), sealed.body());
        assertEquals(List.of(1, 2, 5), view(id).getJsonArray("releases").stream()
                .map(o -> ((JsonObject) o).getInteger("index")).toList());
    }

    private boolean hasBadRelease(String id, int index, String nodeId, String problem) throws Exception {
        for (Object o : view(id).getJsonArray("badReleases")) {
            JsonObject bad = (JsonObject) o;
            if (bad.getInteger("index") == index && bad.getString("nodeId").equals(nodeId)
                    && bad.getString("problem").contains(problem)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void expiredRequest_isExpired_andItsLateApprovalsReleaseNothing() throws Exception {
        String id = request("payments-key", "USE", new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60),
                30L).getString("requestId");
        CanonicalRequest request = canonical(id);
        cluster.clock.advance(Duration.ofSeconds(31));
        assertEquals("EXPIRED", view(id).getString("state"));
        server().sweep();
        JsonObject view = view(id);
        assertEquals("EXPIRED", view.getString("state"));
        JsonArray history = view.getJsonArray("history");
        assertEquals("EXPIRED", history.getJsonObject(history.size() - 1).getString("state"));
        for (int i = 1; i <= 3; i++) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE, cluster.custodianKey(i)));
        }
        for (int i = 1; i <= 5; i++) {
            StandInNode node = cluster.node(i);
            TestCluster.await("node sees 3 answers", () -> node.answersSeen(id) == 3);
        }
        server().drain();
        assertTrue(releases().keySet().stream().noneMatch(k -> k.startsWith(id + "/")));
        assertEquals(0, view(id).getInteger("approvals"));
    }

    @Test
    void export_gathersTheNodesReleasesForTheRecipient_once() throws Exception {
        try (EphemeralKey recipient = EphemeralKey.generate(new SecureRandom())) {
            String id = request("payments-key", "EXPORT", new JsonObject().put("recipientPublicKey",
                    Base64.getEncoder().encodeToString(recipient.publicKey())), null).getString("requestId");
            approve(id, 2, 4, 5);
            awaitState(id, "ACTIVE");
            Response bob = cluster.post("/v1/requests/" + id + "/export", null, TestCluster.BOB);
            assertEquals(403, bob.status(), bob.body());
            Response r = cluster.post("/v1/requests/" + id + "/export", null, TestCluster.ALICE);
            assertEquals(200, r.status(), r.body());
            ExportBundle bundle = ExportBundle.decode(r.body().getBytes(StandardCharsets.UTF_8));
            assertEquals(canonical(id), CanonicalRequest.parse(bundle.requestBytes()));
            Manifest manifest = Manifest.parse(bundle.manifestBytes());
            assertEquals(manifest("payments-key", 1), manifest);
            assertEquals(3, bundle.releases().size(), "t releases");
            byte[] digest = HexFormat.of().parseHex(canonical(id).digest());
            for (ExportRelease release : bundle.releases()) {
                StandInNode node = cluster.node(Integer.parseInt(release.nodeId().substring(5)));
                assertArrayEquals(node.token.identity().publicKey(), release.identityPublicKey());
                assertArrayEquals(node.token.transportPublicKey(), release.transportPublicKey());
                ShareRef ref = new ShareRef("payments-key", 1, release.index(), release.length());
                EcdsaP256.verify(release.identityPublicKey(), Statements.exportRelease(id, digest, release.nodeId(),
                        ref, manifest.digest(), recipient.publicKey(), release.transportPublicKey(),
                        release.wrapped()), release.signature());
                try (SecretBytes share = ExportReleaseOpener.open(recipient, release.transportPublicKey(), id, digest,
                        ref, release.wrapped())) {
                    assertEquals(32, share.length());
                }
            }
            assertEquals("EXECUTED", view(id).getString("state"));
            Response again = cluster.post("/v1/requests/" + id + "/export", null, TestCluster.ALICE);
            assertEquals(409, again.status(), again.body());
        }
    }

    @Test
    void rotate_createsTheNextVersion_andDeactivatesTheOldOneOnceCountersigned() throws Exception {
        createKey("rotating-key", "ED25519", 2, 3);
        countersignAll("rotating-key", 1, 3);
        String id = request("rotating-key", "ROTATE", new JsonObject(), null).getString("requestId");
        approve(id, 1, 3);
        awaitState(id, "EXECUTED");
        Response key = cluster.get("/v1/keys/rotating-key");
        JsonArray versions = key.json().getJsonArray("versions");
        assertEquals(2, versions.size(), key.body());
        assertEquals("ACTIVE", versions.getJsonObject(0).getString("state"));
        assertEquals("PRE_ACTIVE", versions.getJsonObject(1).getString("state"));
        assertNotEquals(versions.getJsonObject(0).getString("kcv"), versions.getJsonObject(1).getString("kcv"));
        countersignAll("rotating-key", 2, 3);
        versions = cluster.get("/v1/keys/rotating-key").json().getJsonArray("versions");
        assertEquals("DEACTIVATED", versions.getJsonObject(0).getString("state"));
        assertEquals("ACTIVE", versions.getJsonObject(1).getString("state"));
    }

    @Test
    void destroy_collectsShredReceipts_untilFewerThanThresholdSharesRemain() throws Exception {
        createKey("doomed-key", "EC-P256", 3, 5);
        countersignAll("doomed-key", 1, 5);
        for (int i = 1; i <= 5; i++) {
            assertTrue(cluster.node(i).heldShares().contains("doomed-key/1/" + i));
        }
        String id = request("doomed-key", "DESTROY", new JsonObject(), null).getString("requestId");
        approve(id, 1, 2, 5);
        awaitState(id, "EXECUTED");
        JsonObject version = cluster.get("/v1/keys/doomed-key").json().getJsonArray("versions").getJsonObject(0);
        assertEquals("DESTROYED", version.getString("state"));
        assertTrue(version.getJsonArray("shredded").size() >= 3, version.encode());
        for (int i = 1; i <= 5; i++) {
            int node = i;
            TestCluster.await("node-" + i + " shredded", () -> !cluster.node(node).heldShares()
                    .contains("doomed-key/1/" + node));
        }
        Response use = cluster.post("/v1/keys/doomed-key/requests", new JsonObject().put("operation", "USE")
                .put("reason", "too late").put("params", new JsonObject().put("maxOperations", 1)
                        .put("sessionSeconds", 1)), TestCluster.ALICE);
        assertEquals(409, use.status(), use.body());
        assertFalse(server().service().request(id).isEmpty());

        // its cluster messages may go only once every holder's shred receipt is in, after the grace
        TestCluster.await("all 5 receipts", () -> view(id).getJsonArray("shreddedNodes").size() == 5);
        RequestView destroyed = server().service().request(id).orElseThrow();
        Set<String> holders = Set.of("node-1", "node-2", "node-3", "node-4", "node-5");
        Instant later = cluster.clock.instant().plus(Duration.ofHours(1));
        assertTrue(MessageRetention.mayForget(destroyed, holders, later, Duration.ofMinutes(10)));
        assertFalse(MessageRetention.mayForget(destroyed, Set.of("node-1", "node-2", "node-3", "node-4", "node-5",
                "node-6"), later, Duration.ofMinutes(10)), "a holder without a receipt may still need them");
        assertFalse(MessageRetention.mayForget(destroyed, holders, cluster.clock.instant(), Duration.ofMinutes(10)),
                "not within the grace");
    }

    /**
     * The journal names a request's sealed ephemeral key but does not hold it; the key is
     * deleted from the sealed-key store once the releases are combined, so whoever later holds
     * the coordinator's token cannot open the releases the nodes journaled.
     */
    @Test
    void aRequestsSealedKeyLivesOutsideTheJournal_andGoesOnceCombined() throws Exception {
        String id = useRequest(1).getString("requestId");
        String sealedKey = server().service().sealedKey(id).orElseThrow();
        assertTrue(server().sealedKeyIds().contains(sealedKey), "held while the request waits for releases");
        String journal = java.nio.file.Files.readString(server().service().journalFile(),
                StandardCharsets.ISO_8859_1);
        assertTrue(journal.contains("\"sealedKey\":\"" + sealedKey + "\""), "the record names it");
        assertFalse(journal.contains("ephemeralEnvelope"), "no envelope in the journal");
        approve(id, 1, 2, 3);
        awaitState(id, "ACTIVE");
        assertFalse(server().sealedKeyIds().contains(sealedKey), "deleted once the releases are combined");
    }

    @Test
    void theMessagesOfAFinishedRequestLeaveTheClusterMaps_thoseOfAnOpenOneStay() throws Exception {
        String finished = useRequest(1).getString("requestId");
        approve(finished, 1, 2, 3);
        awaitState(finished, "ACTIVE");
        assertEquals(200, encrypt(finished, TestCluster.ALICE, new byte[] {7}, null).status());
        awaitState(finished, "EXECUTED");
        String open = useRequest(1).getString("requestId");
        approve(open, 4);
        TestCluster.await("the open request's answer is in the map", () -> answers().containsKey(open + "/custodian-4"));
        assertTrue(requests().containsKey(finished) && !keysOf(releases(), finished).isEmpty());

        server().pruneClusterMessages(Duration.ofMinutes(10));
        assertTrue(requests().containsKey(finished), "within the grace the messages stay");
        server().pruneClusterMessages(Duration.ZERO);
        assertFalse(requests().containsKey(finished));
        assertEquals(Set.of(), keysOf(answers(), finished));
        assertEquals(Set.of(), keysOf(releases(), finished));
        assertTrue(requests().containsKey(open) && answers().containsKey(open + "/custodian-4"), "open work stays");
        assertEquals("EXECUTED", view(finished).getString("state"), "the journal keeps the request");
    }

    private IMap<String, byte[]> requests() {
        return cluster.nodeMember.getMap(ClusterMaps.REQUESTS);
    }

    private IMap<String, byte[]> answers() {
        return cluster.nodeMember.getMap(ClusterMaps.ANSWERS);
    }

    private static Set<String> keysOf(IMap<String, byte[]> map, String requestId) {
        return map.keySet().stream().filter(k -> k.startsWith(requestId + "/")).collect(
                java.util.stream.Collectors.toSet());
    }

    @ParameterizedTest
    @CsvSource({"ecdsa-key,EC-P256", "eddsa-key,ED25519"})
    void signSession_signsUnderTheKeysPublicKey_andRefusesEncrypt(String name, String algorithm) throws Exception {
        JsonObject created = createKey(name, algorithm, 2, 3);
        byte[] publicKey = Base64.getDecoder().decode(created.getString("publicKey"));
        assertEquals(Kcv.ofPublicKey(publicKey).hex(), created.getString("kcv"));
        countersignAll(name, 1, 3);
        String id = request(name, "USE", new JsonObject().put("maxOperations", 2).put("sessionSeconds", 60), null)
                .getString("requestId");
        approve(id, 1, 3);
        awaitState(id, "ACTIVE");
        byte[] message = "transfer 10 to bob".getBytes(StandardCharsets.UTF_8);
        Response notAes = encrypt(id, TestCluster.ALICE, message, null);
        assertEquals(422, notAes.status(), notAes.body());
        Response signed = cluster.post("/v1/requests/" + id + "/sign", new JsonObject().put("message",
                Base64.getEncoder().encodeToString(message)), TestCluster.ALICE);
        assertEquals(200, signed.status(), signed.body());
        byte[] signature = Base64.getDecoder().decode(signed.json().getString("signature"));
        if (algorithm.equals("ED25519")) {
            dev.keyescrow.core.signature.Ed25519.verify(publicKey, message, signature);
        } else {
            dev.keyescrow.core.signature.EcdsaP256.verify(publicKey, message, signature);
        }
    }

    @Test
    void denialsThatMakeTheQuorumUnreachable_denyTheRequest() throws Exception {
        String id = useRequest(1).getString("requestId");
        CanonicalRequest request = canonical(id);
        approve(id, 1);
        for (int i = 2; i <= 4; i++) {
            cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.DENY, cluster.custodianKey(i)));
        }
        awaitState(id, "DENIED");
        JsonObject view = view(id);
        assertEquals(List.of("custodian-2", "custodian-3", "custodian-4"), view.getJsonArray("deniers").getList());
        approve(id, 5);
        TestCluster.await("node sees 5 answers", () -> cluster.node(5).answersSeen(id) == 5);
        assertTrue(releases().keySet().stream().noneMatch(k -> k.startsWith(id + "/")));
        assertEquals("DENIED", view(id).getString("state"));
    }

    @Test
    void aCustodianWhoAnswersBothWays_countsAsDeny_andRaisesAnAlert() throws Exception {
        java.util.concurrent.ConcurrentLinkedQueue<String> alerts = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger("dev.keyescrow.coordinator");
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getMessage().startsWith("ALERT")) {
                    alerts.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            String id = useRequest(1).getString("requestId");
            CanonicalRequest request = canonical(id);
            approve(id, 1);
            TestCluster.await("approval counted", () -> view(id).getInteger("approvals") == 1);
            cluster.node(2).answer(Approval.sign(request, "custodian-1", Decision.DENY, cluster.custodianKey(1)));
            TestCluster.await("conflict counted", () -> view(id).getJsonArray("deniers").contains("custodian-1"));
            assertEquals(0, view(id).getInteger("approvals"));
            TestCluster.await("alert raised", () -> alerts.stream().anyMatch(a -> a.contains("custodian-1")
                    && a.contains(id)));
        } finally {
            log.removeHandler(capture);
        }
    }
}
