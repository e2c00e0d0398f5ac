package dev.keyescrow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.config.NodeConfig;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.cluster.HazelcastMembers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rogue cluster member holding the coordinator's signing key (a compromised coordinator)
 * publishes requests whose {@code createdAt} lies in the future — a request that stays open
 * for a year — or whose lifetime exceeds the 24 h cap. A whole node, started from its
 * configuration file as {@code escrow node start} does, must refuse them: nothing admitted
 * or journaled, a line in the refusal log, no approval counted, so never a release.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FutureCreatedAtAttackTest {
    @TempDir
    static Path dir;

    private final SecureRandom random = new SecureRandom();
    /** The node's clock: one second after the ceremony's requests were created. */
    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final HttpClient http = HttpClient.newHttpClient();
    private Ceremony ceremony;
    private NodeProcess node;
    private HazelcastInstance rogue;
    private String base;

    @BeforeAll
    void start() throws Exception {
        ceremony = new Ceremony(random, "payments-key");
        int port = 18701 + random.nextInt(1500);
        String cluster = "test-" + UUID.randomUUID();
        java.nio.file.attribute.FileAttribute<?> privateFile = java.nio.file.attribute.PosixFilePermissions
                .asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(Files.createFile(dir.resolve("vault.pass"), privateFile), "correct horse battery staple");
        Path file = Files.createFile(dir.resolve("node.json"), privateFile);
        Files.writeString(file, new JsonObject().put("nodeId", "node-a").put("dev", true)
                .put("stateDirectory", "state")
                .put("coordinatorPublicKey", Base64.getEncoder().encodeToString(ceremony.coordinator.publicKey()))
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("cluster", new JsonObject().put("name", cluster).put("bind", "127.0.0.1").put("port", port)
                        .put("members", new JsonArray().add("127.0.0.1:" + port).add("127.0.0.1:" + (port + 1))))
                .put("token", new JsonObject().put("kind", "software").put("vault", "vault.bcfks")
                        .put("passphraseFile", "vault.pass")).encodePrettily());
        NodeConfig config = NodeConfig.load(file);
        Tokens.openOrProvision(config.token(), "node-a", random).close();
        node = NodeProcess.start(config, clock);
        base = "http://127.0.0.1:" + node.httpPort();
        rogue = HazelcastMembers.start(new ClusterSettings(cluster, "127.0.0.1", port + 1,
                java.util.List.of("127.0.0.1:" + port, "127.0.0.1:" + (port + 1))));
        await(() -> rogue.getCluster().getMembers().size() == 2);

        // the honest ceremony's manifest, countersigned by every custodian, so requests for it can be admitted
        Map<String, byte[]> countersignatures = new TreeMap<>();
        for (int c = 1; c <= 5; c++) {
            countersignatures.put("custodian-" + c, ceremony.countersignature(c).signature());
        }
        NodeEvent.ManifestAdmitted manifest = ceremony.manifestEvent();
        rogue.<String, byte[]>getMap(ClusterMaps.MANIFESTS).set("payments-key/1",
                new ManifestMessage(manifest.canonical(), manifest.coordinatorSignature(), countersignatures).encode());
        // an honest request shows the node admits what it should: the manifest is pinned. The two
        // maps are delivered independently, so the request may reach the node before the
        // manifest and be refused for that: it is published again until admitted
        CanonicalRequest control = ceremony.useRequest("req-control");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (status("req-control") != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the control request was never admitted; refusals: " + refusalLog());
            }
            rogue.getMap(ClusterMaps.REQUESTS).delete("req-control");
            publish(control);
            Thread.sleep(500);
        }
    }

    @AfterAll
    void stop() throws Exception {
        rogue.shutdown();
        node.close();
    }

    @Test
    void aRequestCreatedAYearAhead_isRefused_andCannotBeApproved() throws Exception {
        Instant created = Ceremony.NOW.plus(Duration.ofDays(365));
        assertRefused(request("req-next-year", created, created.plusSeconds(600)), "req-next-year");
    }

    @Test
    void aRequestCreatedJustOverTheSkewAhead_isRefused_butOneWithinItIsAdmitted() throws Exception {
        Instant nodeNow = clock.instant();
        assertRefused(request("req-61s-ahead", nodeNow.plusSeconds(61), nodeNow.plusSeconds(661)), "req-61s-ahead");
        CanonicalRequest within = request("req-60s-ahead", nodeNow.plusSeconds(60), nodeNow.plusSeconds(660));
        publish(within);
        await(() -> status("req-60s-ahead") == 200);
    }

    @Test
    void aRequestLivingLongerThanTheCap_isRefused() throws Exception {
        // the coordinator's own code cannot build it: the canonical JSON is edited and signed by hand
        CanonicalRequest honest = request("req-long-lived", Ceremony.NOW, Ceremony.NOW.plusSeconds(600));
        Map<String, Object> members = new LinkedHashMap<>(CanonicalJsonParser.parseObject(honest.canonicalJson()));
        members.put("expiresAt", "2027-11-28T12:00:00Z");
        byte[] canonical = CanonicalJson.toBytes(members);
        publishRaw("req-long-lived", canonical);
        await(() -> refusalLog().contains("at most 24 h") || status("req-long-lived") == 200);
        assertEquals(404, status("req-long-lived"), "a year-long request must not be admitted");
    }

    private CanonicalRequest request(String id, Instant createdAt, Instant expiresAt) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return new CanonicalRequest(id, Operation.USE, "payments-key", 1, new RequestParams.Use(5, 60), "alice",
                "testing", createdAt, expiresAt, nonce, SoftwareP256Signer.generate(random).publicKey());
    }

    private void assertRefused(CanonicalRequest request, String id) throws Exception {
        String journalBefore = journalHead();
        publish(request);
        await(() -> refusalLog().contains(id) || status(id) == 200);
        assertEquals(404, status(id), id + " must not be admitted");
        assertTrue(refusalLog().contains(id) && refusalLog().contains("createdAt"),
                "the refusal names the request and its createdAt: " + refusalLog());
        // custodians cannot approve it, so no count, no release
        Approval approval = ceremony.answer(request, 1, Decision.APPROVE);
        HttpResponse<String> answered = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/requests/" + id
                + "/approvals")).header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                new JsonObject().put("custodianId", "custodian-1").put("decision", "APPROVE").put("signature",
                        Base64.getEncoder().encodeToString(approval.signature())).encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, answered.statusCode(), answered.body());
        assertEquals(journalBefore, journalHead(), "nothing journaled");
    }

    /** The node's journal head as its audit endpoint shows it. */
    private String journalHead() throws Exception {
        JsonObject audit = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/audit")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        return audit.getLong("sequence") + "/" + audit.getString("head");
    }

    private static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private void publish(CanonicalRequest request) throws Exception {
        publishRaw(request.requestId(), request.canonicalJson());
    }

    private void publishRaw(String id, byte[] canonical) throws Exception {
        String digest = HexFormat.of().formatHex(sha256(canonical));
        byte[] signature = CoordinatorStatement.sign(ceremony.coordinator, Kind.REQUEST, digest);
        rogue.<String, byte[]>getMap(ClusterMaps.REQUESTS).set(id,
                new SignedRequestMessage(new String(canonical, StandardCharsets.UTF_8), signature).encode());
    }

    private int status(String requestId) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/v1/requests/" + requestId)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private String refusalLog() throws Exception {
        Path log = dir.resolve("state").resolve("refusals.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Polls until {@code condition} holds; cluster delivery is asynchronous. Fails after 30 s. */
    private void await(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 30 s; refusals: " + refusalLog());
            }
            Thread.sleep(20);
        }
    }
}
