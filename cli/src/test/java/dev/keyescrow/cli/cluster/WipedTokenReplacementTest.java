package dev.keyescrow.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyescrow.cli.Escrow;
import dev.keyescrow.cli.Terminal;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's token wiped and initialised again (new identity and transport keys), on a real
 * cluster of SoftHSM2 tokens, brought back into a 2-of-3 key as operations.md, "Replacing a
 * failed node", says: its old id cannot be enrolled again with the new keys (a pinned node key
 * changes only by quorum, threat model gap 8), so it is enrolled under a new node id on the same
 * host and ports, its custodian registers under a new id, and a RESHARE approved by t custodians
 * gives it a share of the next version. A USE answered by custodians of node-1 and the new node,
 * with node-2 down, then opens a session whose releases came from those two nodes.
 */
class WipedTokenReplacementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aWipedTokenIsEnrolledUnderANewIdAndGetsAShareByReshare() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        Map<String, SecretBytes> keys = new TreeMap<>();
        SecureRandom random = new SecureRandom();
        try {
            LocalCluster.Started started = cluster.start(3, false);
            assertTrue(started.backend().startsWith("SoftHSM2"), "SoftHSM2 is required: " + started.backend());
            CoordinatorClient coordinator = new CoordinatorClient(started.coordinatorUrl(),
                    Files.readString(cluster.layout().operatorToken()).trim());
            JsonArray nodes = new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes");
            JsonArray custodians = new JsonArray();
            for (int i = 1; i <= 3; i++) {
                register(coordinator, keys, random, "c" + i, "node-" + i);
                custodians.add("c" + i);
            }
            coordinator.createKey("k", "AES-256", 2, custodians);
            for (int i = 1; i <= 3; i++) {
                CustodianDesk.countersign(coordinator, "k", 1, "c" + i, keys.get("c" + i), null);
            }
            assertEquals("ACTIVE", awaitVersion(coordinator, 1, "ACTIVE"));

            // node-3's token is wiped and initialised again: new keys; its old journal is bound to the old ones
            cluster.kill("node-3");
            Path member = cluster.layout().memberDir("node-3");
            deleteTree(member.resolve("tokens"));
            char[] pin = Files.readString(member.resolve("pin")).trim().toCharArray();
            char[] soPin = "so-pin-of-the-new-token".toCharArray();
            Path conf = SoftHsm.find().orElseThrow().initialize(member, "node-3", pin, soPin);
            java.util.Arrays.fill(pin, '\0');
            Files.move(member.resolve("state"), member.resolve("state-of-the-wiped-token"));
            Map<String, String> tokenEnvironment = SoftHsm.environment(conf);
            Path nodeConfig = cluster.layout().config("node-3");
            Path coordinatorConfig = cluster.layout().config("coordinator");
            String nodeUrl = nodes.getJsonObject(2).getString("url");

            // the same id with the new keys is refused, and nothing changes
            String before = Files.readString(coordinatorConfig);
            Result sameId = enrol(coordinatorConfig, "node-3", nodeUrl, ChildProcesses.run(List.of("node",
                    "fingerprint", "--config", nodeConfig.toString()), tokenEnvironment));
            assertEquals(2, sameId.exit(), sameId.err());
            assertTrue(sameId.err().contains("already enrolled") && sameId.err().contains("new node id"),
                    sameId.err());
            assertEquals(before, Files.readString(coordinatorConfig), "nothing was enrolled");

            // enrolled under a new id on the same host and ports, then the coordinator restarts to pin it
            ObjectNode config = (ObjectNode) JSON.readTree(nodeConfig.toFile());
            config.put("nodeId", "node-4");
            Files.writeString(nodeConfig, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config));
            Result enrolled = enrol(coordinatorConfig, "node-4", nodeUrl, ChildProcesses.run(List.of("node",
                    "fingerprint", "--config", nodeConfig.toString()), tokenEnvironment));
            assertEquals(0, enrolled.exit(), enrolled.err());
            cluster.kill("coordinator");
            cluster.restart("coordinator");
            cluster.restart("node-3");
            register(coordinator, keys, random, "c4", "node-4");

            // RESHARE to c1, c2 and c4, approved by t = 2 custodians
            String reshare = coordinator.createRequest("k", "RESHARE", "node-3's token was wiped", 600,
                    new JsonObject().put("threshold", 2).put("holders", coordinator.reshareHolders(
                            List.of("c1", "c2", "c4")))).getString("requestId");
            approve(nodes, reshare, 1, keys);
            approve(nodes, reshare, 2, keys);
            assertEquals("EXECUTED", awaitState(coordinator, reshare, "EXECUTED"));
            for (String c : List.of("c1", "c2", "c4")) {
                CustodianDesk.countersign(coordinator, "k", 2, c, keys.get(c), null);
            }
            assertEquals("ACTIVE", awaitVersion(coordinator, 2, "ACTIVE"));
            assertEquals("DESTROYED", awaitVersion(coordinator, 1, "DESTROYED"));
            assertTrue(shares(nodeUrl).contains("k/2"), "node-4 holds a share of k v2: " + shares(nodeUrl));

            // USE with node-4 among the t: node-2 is down
            cluster.kill("node-2");
            String use = coordinator.createRequest("k", "USE", "first use after the new token", 600,
                    new JsonObject().put("maxOperations", 2).put("sessionSeconds", 600)).getString("requestId");
            approve(nodes, use, 1, keys);
            NodeClient node4 = new NodeClient(nodeUrl);
            CustodianDesk.answer(node4, CustodianDesk.awaitReview(node4, use, Duration.ofSeconds(60), null), "c4",
                    Decision.APPROVE, keys.get("c4"));
            assertEquals("ACTIVE", awaitState(coordinator, use, "ACTIVE"));
            List<String> releasing = new ArrayList<>();
            coordinator.request(use).getJsonArray("releases").forEach(r -> releasing.add(((JsonObject) r)
                    .getString("nodeId")));
            assertEquals(List.of("node-1", "node-4"), releasing.stream().sorted().toList());
            JsonObject sealed = coordinator.encrypt(use, Base64.getEncoder().encodeToString(
                    "after the wipe".getBytes(StandardCharsets.UTF_8)), null);
            JsonObject opened = coordinator.decrypt(use, sealed.getString("ciphertext"), null);
            assertEquals("after the wipe", new String(Base64.getDecoder().decode(opened.getString("plaintext")),
                    StandardCharsets.UTF_8));
        } finally {
            cluster.stopAll();
            keys.values().forEach(SecretBytes::destroy);
        }
    }

    private static void register(CoordinatorClient coordinator, Map<String, SecretBytes> keys, SecureRandom random,
            String custodianId, String nodeId) throws Exception {
        SecretBytes key = Ed25519.generatePrivateKey(random);
        keys.put(custodianId, key);
        coordinator.registerCustodian(custodianId, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                nodeId);
    }

    private static void approve(JsonArray nodes, String requestId, int i, Map<String, SecretBytes> keys)
            throws Exception {
        NodeClient node = new NodeClient(nodes.getJsonObject(i - 1).getString("url"));
        CustodianDesk.answer(node, CustodianDesk.awaitReview(node, requestId, Duration.ofSeconds(60), null),
                "c" + i, Decision.APPROVE, keys.get("c" + i));
    }

    private record Result(int exit, String out, String err) {
    }

    /** {@code escrow node enrol} with what {@code escrow node fingerprint} printed. */
    private static Result enrol(Path coordinatorConfig, String id, String url, String fingerprint) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Escrow.run(terminal, "node", "enrol", "--coordinator-config", coordinatorConfig.toString(), "--id",
                id, "--url", url, "--identity-key", field(fingerprint, "identity public key"), "--transport-key",
                field(fingerprint, "transport public key"), "--identity-fingerprint", field(fingerprint, "identity "),
                "--transport-fingerprint", field(fingerprint, "transport "), "--proof",
                field(fingerprint, "enrolment proof"));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String field(String output, String label) {
        for (String line : output.split("\n")) {
            if (line.startsWith(label)) {
                return line.substring(label.length()).trim();
            }
        }
        throw new AssertionError("no '" + label.trim() + "' in " + output);
    }

    private static List<String> shares(String nodeUrl) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodeUrl + "/v1/shares")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        List<String> out = new ArrayList<>();
        new JsonArray(r.body()).forEach(o -> out.add(((JsonObject) o).getString("keyId") + "/"
                + ((JsonObject) o).getInteger("version")));
        return out;
    }

    private static String awaitState(CoordinatorClient coordinator, String requestId, String state) throws Exception {
        String now = coordinator.request(requestId).getString("state");
        for (int i = 0; i < 1200 && !state.equals(now); i++) {
            Thread.sleep(100);
            now = coordinator.request(requestId).getString("state");
        }
        return now;
    }

    private static String awaitVersion(CoordinatorClient coordinator, int version, String state) throws Exception {
        String now = "";
        for (int i = 0; i < 1200; i++) {
            for (Object o : coordinator.key("k").getJsonArray("versions")) {
                JsonObject v = (JsonObject) o;
                if (v.getInteger("version") == version) {
                    now = v.getString("state");
                }
            }
            if (state.equals(now)) {
                break;
            }
            Thread.sleep(100);
        }
        return now;
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
