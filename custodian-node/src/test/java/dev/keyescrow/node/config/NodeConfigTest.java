package dev.keyescrow.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.node.approval.RequestTimeLimits;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {
    @TempDir
    Path dir;
    private JsonObject good;

    @BeforeEach
    void base() {
        good = new JsonObject().put("nodeId", "node-1").put("dev", false).put("stateDirectory", "state")
                .put("coordinatorPublicKey", Base64.getEncoder().encodeToString(
                        SoftwareP256Signer.generate(new SecureRandom()).publicKey()))
                .put("http", new JsonObject().put("host", "10.0.0.5").put("port", 8443).put("tls",
                        new JsonObject().put("certificate", "node.crt").put("privateKey", "node.key")))
                .put("cluster", new JsonObject().put("name", "escrow").put("bind", "10.0.1.5").put("port", 5701))
                .put("token", new JsonObject().put("kind", "pkcs11").put("library", "/usr/lib/softhsm/libsofthsm2.so")
                        .put("label", "node-1").put("pinEnv", "NODE_PIN"));
    }

    private NodeConfig load(JsonObject json) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, json.encodePrettily());
        return NodeConfig.load(file);
    }

    private String refusal(JsonObject json) {
        return assertThrows(NodeConfigException.class, () -> load(json)).getMessage();
    }

    @Test
    void aProductionConfigurationReadsWithPathsRelativeToTheFile() throws Exception {
        NodeConfig config = load(good);
        assertEquals(dir.resolve("node.crt"), config.tlsCertificate());
        assertEquals(dir.resolve("state"), config.stateDirectory());
        assertEquals("node-1", ((TokenSettings.Pkcs11) config.token()).label());
    }

    @Test
    void everyProblemIsNamed() {
        assertEquals("http.tls is required outside development mode (set certificate and privateKey, PEM)",
                refusal(good.copy().put("http", new JsonObject().put("host", "h").put("port", 1))));
        assertEquals("token.kind software (the development vault) is allowed only with \"dev\": true",
                refusal(good.copy().put("token", new JsonObject().put("kind", "software").put("vault", "v")
                        .put("passphraseFile", "p"))));
        assertEquals("node.json: unknown setting \"colour\"", refusal(good.copy().put("colour", "blue")));
        assertEquals("missing setting: cluster", refusal(good.copy().put("cluster", (Object) null)));
        assertEquals("coordinatorPublicKey must be base64 of a 65-byte uncompressed P-256 point",
                refusal(good.copy().put("coordinatorPublicKey", "AAAA")));
        assertEquals("token.pin: give exactly one of token.pinFile or token.pinEnv",
                refusal(good.copy().put("token", good.getJsonObject("token").copy().put("pinFile", "pin.txt"))));
        assertEquals("nodeId must match [a-z0-9][a-z0-9-]{0,63}", refusal(good.copy().put("nodeId", "Node 1")));
        assertEquals("requests: the allowed clock skew must be 0 to 3600 seconds, got 7200",
                refusal(good.copy().put("requests", new JsonObject().put("maxClockAheadSeconds", 7200))));
        assertEquals("requests: the request lifetime cap must be 1 to 86400 seconds, got 172800",
                refusal(good.copy().put("requests", new JsonObject().put("maxLifetimeSeconds", 172800))));
        assertEquals("node.json: requests.maxClockAheadSeconds must be an integer in [-9223372036854775808,"
                + " 9223372036854775807] (no fraction, no exponent)",
                refusal(good.copy().put("requests", new JsonObject().put("maxClockAheadSeconds", 1.5))));
        assertEquals("node.json: unknown setting \"http.colour\"",
                refusal(good.copy().put("http", good.getJsonObject("http").copy().put("colour", "blue"))));
    }

    @Test
    void requestTimeBoundsDefaultTo60SecondsOfSkewAnd24HoursOfLife_andCanBeTightened() throws Exception {
        assertEquals(RequestTimeLimits.DEFAULT, load(good).requestTimes());
        assertEquals(new RequestTimeLimits(Duration.ofSeconds(60), Duration.ofHours(24)), load(good).requestTimes());
        assertEquals(new RequestTimeLimits(Duration.ofSeconds(5), Duration.ofHours(1)), load(good.copy()
                .put("requests", new JsonObject().put("maxClockAheadSeconds", 5).put("maxLifetimeSeconds", 3600)))
                .requestTimes());
    }
}
