package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.frost.JdkEd25519;
import dev.keyescrow.cli.frost.SigningKey;
import dev.keyescrow.cli.frost.SigningKeys;
import dev.keyescrow.core.integrity.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
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
        try (TestCluster cluster = TestCluster.start(dir, 3)) {
            CoordinatorClient coordinator = cluster.coordinator();
            SigningKey v1 = SigningKeys.create(coordinator, "rotating-signing", 2, cluster.custodianIds());
            cluster.countersignAll(v1.keyId(), 1);
            assertEquals("ACTIVE", cluster.versionState(v1.keyId(), 1));

            String rotate = coordinator.createRequest(v1.keyId(), "ROTATE", "yearly rotation", 600, new JsonObject())
                    .getString("requestId");
            cluster.approveByFirst(2, rotate);
            JsonObject rotated = cluster.awaitEnd(rotate, Duration.ofSeconds(180));
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

            cluster.countersignAll(v1.keyId(), 2);
            assertEquals("ACTIVE", cluster.awaitVersion(v1.keyId(), 2, "ACTIVE"));
            assertEquals("DEACTIVATED", cluster.versionState(v1.keyId(), 1));

            byte[] message = "signed by the rotated key\n".getBytes(StandardCharsets.UTF_8);
            String sign = coordinator.createRequest(v1.keyId(), "SIGN", "first signature of v2", 600,
                    new JsonObject().put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(message))))
                    .getString("requestId");
            cluster.approveByFirst(2, sign);
            JsonObject signed = cluster.awaitEnd(sign, Duration.ofSeconds(180));
            assertEquals("EXECUTED", signed.getString("state"), signed.encodePrettily());
            byte[] signature = Base64.getDecoder().decode(signed.getJsonArray("signatures").getString(0));
            assertTrue(JdkEd25519.verifies(groupKey2, message, signature), "the JDK verifies it under v2's key");
            assertFalse(JdkEd25519.verifies(v1.publicKey(), message, signature), "not under v1's");
        }
    }
}
