package dev.keyescrow.coordinator;

import dev.keyescrow.core.integrity.Manifest;

import dev.keyescrow.server.cluster.ClusterSettings;

import dev.keyescrow.server.cluster.HazelcastMembers;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * One coordinator and {@code n} stand-in nodes on loopback: real Hazelcast members (the
 * coordinator's own, and one shared by the stand-ins; a random cluster name so runs never
 * join each other), real software tokens, the real journal on disk, the real HTTP API.
 * Custodians are {@code custodian-i} on {@code node-i} with fresh Ed25519 keys; operators
 * {@code alice} and {@code bob}. Every answer the API gives is checked against the
 * coordinator's OpenAPI document ({@link CoordinatorOpenApi}).
 */
final class TestCluster implements AutoCloseable {
    static final String ALICE = "alice-" + UUID.randomUUID();
    static final String BOB = "bob-" + UUID.randomUUID();

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    final SecureRandom random = new SecureRandom();
    final List<StandInNode> nodes = new ArrayList<>();
    final List<SecretBytes> custodianKeys = new ArrayList<>();
    final HazelcastInstance nodeMember;
    final Token coordinatorToken;
    CoordinatorServer server;
    final CoordinatorConfig config;
    private final HttpClient http = HttpClient.newHttpClient();

    /** Makes the token of one member (the coordinator or a node), provisioned. */
    interface TokenMaker {
        Token provision(String ownerId) throws Exception;
    }

    TestCluster(Path dir, int nodeCount) throws Exception {
        this(dir, nodeCount, Duration.ofSeconds(30), null);
    }

    TestCluster(Path dir, int nodeCount, Duration ceremonyTimeout) throws Exception {
        this(dir, nodeCount, ceremonyTimeout, null);
    }

    /** With {@code tokens} null, every member gets a development-vault token in {@code dir}. */
    TestCluster(Path dir, int nodeCount, Duration ceremonyTimeout, TokenMaker tokens) throws Exception {
        // private, as the coordinator requires of a passphrase file it is configured with
        Path passphrase = Files.createFile(dir.resolve("vault-passphrase"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passphrase, "test-passphrase-" + UUID.randomUUID());
        PinSource pin = PinSource.fromFile(passphrase);
        TokenMaker maker = tokens != null ? tokens : ownerId -> SoftwareToken.provision(
                DevelopmentMode.explicitlyEnabled(), dir.resolve(ownerId + ".vault"), pin, ownerId, random);
        String clusterName = "coordinator-test-" + UUID.randomUUID();
        int base = 16701 + random.nextInt(2000);
        List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1));
        coordinatorToken = maker.provision("coordinator");
        nodeMember = HazelcastMembers.start(new ClusterSettings(clusterName, "127.0.0.1", base + 1, members));
        List<EnrolledNode> enrolled = new ArrayList<>();
        for (int i = 1; i <= nodeCount; i++) {
            String nodeId = "node-" + i;
            Token token = maker.provision(nodeId);
            StandInNode node = new StandInNode(nodeId, token, coordinatorToken.identity().publicKey(), clock,
                    nodeMember);
            node.start();
            nodes.add(node);
            enrolled.add(EnrolledNode.of(nodeId, "http://127.0.0.1:0/" + nodeId, token.identity().publicKey(),
                    token.transportPublicKey()));
            custodianKeys.add(Ed25519.generatePrivateKey(random));
        }
        config = new CoordinatorConfig("coordinator", true, dir.resolve("coordinator-state"), "127.0.0.1", 0, null,
                null, 64 * 1024, new ClusterSettings(clusterName, "127.0.0.1", base, members),
                List.of(new Operators.Operator("alice", Operators.hashOf(ALICE)),
                        new Operators.Operator("bob", Operators.hashOf(BOB))),
                enrolled, new TokenSettings.Software(dir.resolve("coordinator.vault"), pin), ceremonyTimeout);
        server = CoordinatorServer.start(config, coordinatorToken, clock);
    }

    /** Stops the coordinator (its member leaves the cluster) and starts it again on the same state and token. */
    void restartCoordinator() throws Exception {
        server.close();
        server = CoordinatorServer.start(config, coordinatorToken, clock);
    }

    StandInNode node(int i) {
        return nodes.get(i - 1);
    }

    SecretBytes custodianKey(int i) {
        return custodianKeys.get(i - 1);
    }

    String custodianPublicKey(int i) {
        return Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(custodianKey(i)));
    }

    /** Registers custodian-i on node-i for every node, as alice. */
    void registerCustodians() throws Exception {
        for (int i = 1; i <= nodes.size(); i++) {
            Response r = post("/v1/custodians", new JsonObject().put("id", "custodian-" + i)
                    .put("publicKey", custodianPublicKey(i)).put("nodeId", "node-" + i), ALICE);
            if (r.status() != 201) {
                throw new AssertionError("registering custodian-" + i + ": " + r);
            }
        }
    }

    /**
     * A 2-of-3 AES-256 key of custodians 1 to 3, created as alice and countersigned by all three:
     * ACTIVE. Fails the test if any step is refused.
     */
    String createActiveKey(String name) throws Exception {
        Response r = post("/v1/keys", new JsonObject().put("name", name).put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", new JsonArray().add("custodian-1").add("custodian-2")
                        .add("custodian-3")), ALICE);
        if (r.status() != 201) {
            throw new AssertionError("creating " + name + ": " + r);
        }
        Manifest manifest = Manifest.parse(get("/v1/keys/" + name + "/versions/1/manifest").json()
                .getString("canonical").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 1; i <= 3; i++) {
            byte[] signature = Ed25519.sign(custodianKey(i), manifest.countersignatureStatement("custodian-" + i));
            Response c = post("/v1/keys/" + name + "/versions/1/countersignatures", new JsonObject()
                    .put("custodianId", "custodian-" + i).put("signature",
                            Base64.getEncoder().encodeToString(signature)), null);
            if (c.status() != 201) {
                throw new AssertionError("countersigning " + name + " as custodian-" + i + ": " + c);
            }
        }
        return name;
    }

    /** {@code link} is the {@code Link} header, or {@code null}. */
    record Response(int status, String contentType, String body, String link) {
        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }
    }

    Response get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    Response post(String path, JsonObject body, String bearer) throws Exception {
        return postRaw(path, "application/json", body == null ? new byte[0] : body.encode().getBytes(), bearer);
    }

    Response postRaw(String path, String contentType, byte[] body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("content-type", contentType);
        }
        if (bearer != null) {
            b.header("authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    private Response send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        Response response = new Response(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body(),
                r.headers().firstValue("link").orElse(null));
        CoordinatorOpenApi.check(request.method(), request.uri(), response.status(), response.contentType(),
                response.body());
        return response;
    }

    /** Polls until {@code condition} holds; cluster delivery is asynchronous. Fails after 30 s. */
    /** A counter or gauge of {@code GET /metrics} without labels. */
    long metric(String name) throws Exception {
        for (String line : get("/metrics").body().split("\n")) {
            if (line.startsWith(name + " ")) {
                return (long) Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        throw new AssertionError(name + " is not among the metrics");
    }

    static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (StandInNode node : nodes) {
            node.close();
        }
        nodeMember.shutdown();
        coordinatorToken.close();
        custodianKeys.forEach(SecretBytes::destroy);
    }
}
