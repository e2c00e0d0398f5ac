package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.frost.JdkEd25519;
import dev.keyescrow.cli.frost.SigningKey;
import dev.keyescrow.cli.frost.SigningKeys;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROTATE of a FROST key, on a real cluster (3 node processes with SoftHSM2 tokens, a
 * coordinator): the approved rotation makes the next version the way the key was made, by
 * distributed key generation among the same holders' nodes, so the coordinator never holds the
 * new key either. Version 2 pins a new group key and its own DKG transcript; once every
 * custodian countersigned it, it is ACTIVE and version 1 DEACTIVATED; a SIGN then signs with
 * version 2's key, not version 1's.
 */
class FrostRotateCliTest {
    @TempDir
    Path dir;

    @Test
    void anApprovedRotationMakesTheNextVersionByDkg() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        List<SecretBytes> keys = new ArrayList<>();
        try {
            LocalCluster.Started started = cluster.start(3, false);
            CoordinatorClient coordinator = new CoordinatorClient(started.coordinatorUrl(),
                    Files.readString(cluster.layout().operatorToken()).trim());
            JsonArray nodes = new JsonObject(Files.readString(cluster.layout().clusterJson())).getJsonArray("nodes");
            JsonArray custodians = new JsonArray();
            SecureRandom random = new SecureRandom();
            for (int i = 1; i <= 3; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                keys.add(key);
                coordinator.registerCustodian("c" + i, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                        "node-" + i);
                custodians.add("c" + i);
            }
            SigningKey v1 = SigningKeys.create(coordinator, "rotating-signing", 2, custodians);
            countersign(coordinator, keys, v1.keyId(), 1);
            assertEquals("ACTIVE", versionState(coordinator, v1.keyId(), 1));

            String rotate = coordinator.createRequest(v1.keyId(), "ROTATE", "yearly rotation", 600, new JsonObject())
                    .getString("requestId");
            approve(nodes, keys, rotate);
            JsonObject rotated = awaitEnd(coordinator, rotate);
            assertEquals("EXECUTED", rotated.getString("state"), rotated.encodePrettily());

            Manifest m2 = Manifest.parse(coordinator.manifest(v1.keyId(), 2).getString("canonical")
                    .getBytes(StandardCharsets.UTF_8));
            assertNotNull(m2.frost(), "version 2 is a FROST key");
            assertNotNull(m2.frost().dkgTranscript(), "made by DKG: its transcript is pinned");
            assertTrue(m2.frost().isConsistentFor(2), "verification shares on one degree-1 polynomial");
            byte[] groupKey2 = m2.frost().groupPublicKey();
            assertFalse(Arrays.equals(groupKey2, v1.publicKey()), "a rotation makes a new key");
            assertEquals(2, m2.threshold());
            assertEquals(List.of("c1", "c2", "c3"), m2.holders().stream().map(h -> h.custodianId()).toList());

            countersign(coordinator, keys, v1.keyId(), 2);
            assertEquals("ACTIVE", awaitVersion(coordinator, v1.keyId(), 2, "ACTIVE"));
            assertEquals("DEACTIVATED", versionState(coordinator, v1.keyId(), 1));

            byte[] message = "signed by the rotated key\n".getBytes(StandardCharsets.UTF_8);
            String sign = coordinator.createRequest(v1.keyId(), "SIGN", "first signature of v2", 600,
                    new JsonObject().put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(message))))
                    .getString("requestId");
            approve(nodes, keys, sign);
            JsonObject signed = awaitEnd(coordinator, sign);
            assertEquals("EXECUTED", signed.getString("state"), signed.encodePrettily());
            byte[] signature = Base64.getDecoder().decode(signed.getJsonArray("signatures").getString(0));
            assertTrue(JdkEd25519.verifies(groupKey2, message, signature), "the JDK verifies it under v2's key");
            assertFalse(JdkEd25519.verifies(v1.publicKey(), message, signature), "not under v1's");
        } finally {
            cluster.stopAll();
            keys.forEach(SecretBytes::destroy);
        }
    }

    private static void approve(JsonArray nodes, List<SecretBytes> keys, String requestId) throws Exception {
        for (int i = 1; i <= 2; i++) {
            NodeClient node = new NodeClient(nodes.getJsonObject(i - 1).getString("url"));
            CustodianDesk.answer(node, CustodianDesk.awaitReview(node, requestId, Duration.ofSeconds(60), null),
                    "c" + i, Decision.APPROVE, keys.get(i - 1));
        }
    }

    private static void countersign(CoordinatorClient coordinator, List<SecretBytes> keys, String keyId, int version)
            throws Exception {
        for (int i = 1; i <= 3; i++) {
            CustodianDesk.countersign(coordinator, keyId, version, "c" + i, keys.get(i - 1), null);
        }
    }

    private static String versionState(CoordinatorClient coordinator, String keyId, int version) throws Exception {
        for (Object o : coordinator.key(keyId).getJsonArray("versions")) {
            JsonObject v = (JsonObject) o;
            if (v.getInteger("version") == version) {
                return v.getString("state");
            }
        }
        return "absent";
    }

    private static String awaitVersion(CoordinatorClient coordinator, String keyId, int version, String state)
            throws Exception {
        String now = versionState(coordinator, keyId, version);
        for (int i = 0; i < 600 && !state.equals(now); i++) {
            Thread.sleep(100);
            now = versionState(coordinator, keyId, version);
        }
        return now;
    }

    private static JsonObject awaitEnd(CoordinatorClient coordinator, String requestId) throws Exception {
        Set<String> ends = Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED");
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        JsonObject now = coordinator.request(requestId);
        while (!ends.contains(now.getString("state")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            now = coordinator.request(requestId);
        }
        return now;
    }
}
