package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * What the cluster tests share: a started local cluster (real node processes with SoftHSM2
 * tokens, a coordinator), the operator's client, and one custodian per node with a fresh
 * Ed25519 key: {@code c1} at {@code node-1}, {@code c2} at {@code node-2}, and so on.
 * Custodians are numbered from 1, as in the tests' names. Closing stops every process and
 * destroys the custodians' keys.
 */
final class TestCluster implements AutoCloseable {
    /** How long a custodian waits for a request to reach their node. */
    static final Duration REVIEW_WAIT = Duration.ofSeconds(60);
    private static final Set<String> ENDS = Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED");

    private final LocalCluster cluster;
    private final List<SecretBytes> keys = new ArrayList<>();
    private CoordinatorClient coordinator;
    private final List<String> nodeUrls = new ArrayList<>();

    private TestCluster(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Starts {@code nodes} nodes and the coordinator in {@code dir} and registers custodians c1 to cN. */
    static TestCluster start(Path dir, int nodes) throws Exception {
        TestCluster started = new TestCluster(new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream())));
        try {
            started.register(nodes);
            return started;
        } catch (Exception | Error e) {
            try {
                started.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void register(int nodes) throws Exception {
        LocalCluster.Started started = cluster.start(nodes, false);
        coordinator = new CoordinatorClient(started.coordinatorUrl(),
                Files.readString(cluster.layout().operatorToken()).trim());
        new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes")
                .forEach(n -> nodeUrls.add(((JsonObject) n).getString("url")));
        SecureRandom random = new SecureRandom();
        for (int i = 1; i <= nodes; i++) {
            SecretBytes key = Ed25519.generatePrivateKey(random);
            keys.add(key);
            coordinator.registerCustodian("c" + i, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                    "node-" + i);
        }
    }

    LocalCluster cluster() {
        return cluster;
    }

    CoordinatorClient coordinator() {
        return coordinator;
    }

    /** c1 to cN, for a key's holders. */
    JsonArray custodianIds() {
        JsonArray ids = new JsonArray();
        for (int i = 1; i <= keys.size(); i++) {
            ids.add("c" + i);
        }
        return ids;
    }

    /** Custodian {@code i}'s private key. */
    SecretBytes key(int i) {
        return keys.get(i - 1);
    }

    /** The URL of {@code node-i}. */
    String nodeUrl(int i) {
        return nodeUrls.get(i - 1);
    }

    List<String> nodeUrls() {
        return List.copyOf(nodeUrls);
    }

    NodeClient node(int i) {
        return new NodeClient(nodeUrl(i));
    }

    /** Every custodian countersigns version {@code version} of {@code keyId}. */
    void countersignAll(String keyId, int version) throws Exception {
        for (int i = 1; i <= keys.size(); i++) {
            CustodianDesk.countersign(coordinator, keyId, version, "c" + i, key(i), null);
        }
    }

    /** Custodian {@code i} waits at their node for {@code requestId} to arrive and checks it (no pinned key). */
    ReviewedRequest review(int i, String requestId) throws Exception {
        return CustodianDesk.awaitReview(node(i), requestId, REVIEW_WAIT, null);
    }

    /** Custodian {@code i} answers a request they reviewed, at their own node. */
    JsonObject answer(int i, ReviewedRequest reviewed, Decision decision) throws Exception {
        return CustodianDesk.answer(node(i), reviewed, "c" + i, decision, key(i));
    }

    /** Custodians c1 to c{@code count}, one after the other, review {@code requestId} and approve it. */
    void approveByFirst(int count, String requestId) throws Exception {
        for (int i = 1; i <= count; i++) {
            answer(i, review(i, requestId), Decision.APPROVE);
        }
    }

    /** The state of version {@code version} of {@code keyId} at the coordinator, or "absent". */
    String versionState(String keyId, int version) throws Exception {
        for (Object o : coordinator.key(keyId).getJsonArray("versions")) {
            JsonObject v = (JsonObject) o;
            if (v.getInteger("version") == version) {
                return v.getString("state");
            }
        }
        return "absent";
    }

    /** Polls for up to a minute until the version is in {@code state}; returns the last state seen. */
    String awaitVersion(String keyId, int version, String state) throws Exception {
        String now = versionState(keyId, version);
        for (int i = 0; i < 600 && !state.equals(now); i++) {
            Thread.sleep(100);
            now = versionState(keyId, version);
        }
        return now;
    }

    /** Polls until the request ends (executed, failed, denied, expired, cancelled) or {@code patience} passes. */
    JsonObject awaitEnd(String requestId, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        JsonObject now = coordinator.request(requestId);
        while (!ENDS.contains(now.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = coordinator.request(requestId);
        }
        return now;
    }

    /** The shares a node lists (GET /v1/shares), which must answer 200. */
    static JsonArray shares(String nodeUrl) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(nodeUrl + "/v1/shares")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new JsonArray(response.body());
    }

    /** Whether the node lists a share of version {@code version} of {@code keyId}. */
    static boolean holds(String nodeUrl, String keyId, int version) throws Exception {
        for (Object o : shares(nodeUrl)) {
            JsonObject share = (JsonObject) o;
            if (keyId.equals(share.getString("keyId")) && share.getInteger("version") == version) {
                return true;
            }
        }
        return false;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls {@code condition} every 250 ms until it holds (true) or {@code patience} passes (false). */
    static boolean await(Condition condition, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        try {
            cluster.stopAll();
        } finally {
            keys.forEach(SecretBytes::destroy);
        }
    }
}
