package dev.keyescrow.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.node.config.NodeConfig;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole node started from a configuration file, as {@code escrow node start} does, then restarted. */
class NodeProcessTest {
    @TempDir
    Path dir;

    static String devConfig(String nodeId, String coordinatorKey, int clusterPort) {
        return new JsonObject().put("nodeId", nodeId).put("dev", true).put("stateDirectory", "state")
                .put("coordinatorPublicKey", coordinatorKey)
                .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 0))
                .put("cluster", new JsonObject().put("name", "test-" + UUID.randomUUID()).put("bind", "127.0.0.1")
                        .put("port", clusterPort).put("members", new io.vertx.core.json.JsonArray()
                                .add("127.0.0.1:" + clusterPort)))
                .put("token", new JsonObject().put("kind", "software").put("vault", "vault.bcfks")
                        .put("passphraseFile", "vault.pass")).encodePrettily();
    }

    @Test
    void aNodeStartsFromItsConfigurationAndKeepsItsKeysAcrossRestarts() throws Exception {
        String coordinatorKey = Base64.getEncoder().encodeToString(
                SoftwareP256Signer.generate(new SecureRandom()).publicKey());
        // private, as a node requires of its passphrase file
        Files.createFile(dir.resolve("vault.pass"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        Files.writeString(dir.resolve("vault.pass"), "correct horse battery staple");
        Path file = dir.resolve("node.json");
        Files.writeString(file, devConfig("node-7", coordinatorKey, 17701 + new SecureRandom().nextInt(1000)));
        NodeConfig config = NodeConfig.load(file);
        TokenNotProvisionedException refused = assertThrows(TokenNotProvisionedException.class,
                () -> NodeProcess.start(config, Clock.systemUTC()), "no keys yet: the node refuses to serve");
        assertTrue(refused.getMessage().contains("escrow node fingerprint"), refused.getMessage());
        // enrolment, as 'escrow node fingerprint' does it: keys generated in the token
        Tokens.openOrProvision(config.token(), "node-7", new SecureRandom()).close();
        HttpClient http = HttpClient.newHttpClient();
        String fingerprint;
        try (NodeProcess node = NodeProcess.start(config, Clock.systemUTC())) {
            String base = "http://127.0.0.1:" + node.httpPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/health/ready"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
            for (String check : java.util.List.of("token", "journal", "cluster", "pins")) {
                assertEquals("UP", checks.getJsonObject(check).getString("status"), ready.body());
            }
            JsonObject description = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(base + "/v1/node"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("node-7", description.getString("nodeId"));
            assertEquals("software", description.getString("vault"));
            fingerprint = description.getString("identityFingerprint");
            assertEquals(64, fingerprint.length());
        }
        assertTrue(Files.exists(dir.resolve("state").resolve("journal")), "the journal lives in the state directory");
        try (NodeProcess node = NodeProcess.start(config, Clock.systemUTC())) {
            JsonObject description = new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + node.httpPort() + "/v1/node")).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(fingerprint, description.getString("identityFingerprint"), "same token, same identity");
        }
        Files.delete(dir.resolve("vault.bcfks"));
        assertThrows(TokenNotProvisionedException.class, () -> NodeProcess.start(config, Clock.systemUTC()),
                "a node whose token was wiped refuses to serve instead of making new keys");
    }
}
