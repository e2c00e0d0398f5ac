package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.spec.ShareSender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGN over real HTTP and a real Hazelcast cluster with a lying holder: node-2 takes part in
 * round two but publishes signature shares that are not its z_i, correctly signed by its
 * identity key. The coordinator must name node-2 (share 2) in {@code badReleases}, call a new
 * attempt with fresh nonces without it, and finish EXECUTED with signatures that Bouncy Castle
 * and the JDK accept under the key's original public key. Every answer is checked against the
 * OpenAPI document.
 */
class FrostSignLyingNodeTest {
    private static final byte[] SEED = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 7.1 TEST 1
    private static final byte[] PUBLIC_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

    @TempDir
    Path dir;

    @Test
    void aLyingNodeIsNamed_andTheRequestCompletesWithAnotherHolderSet() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 5)) {
            cluster.registerCustodians();
            byte[] transport = Base64.getDecoder().decode(cluster.get("/v1/coordinator").json()
                    .getString("transportPublicKey"));
            byte[] envelope;
            try (SecretBytes key = SecretBytes.copyFrom(SEED)) {
                envelope = ShareSender.wrapForKeyImport(transport, "signing-key", KeyAlgorithm.ED25519, key,
                        cluster.random);
            }
            Response imported = cluster.post("/v1/keys/import", new JsonObject().put("name", "signing-key")
                    .put("algorithm", "ED25519").put("threshold", 3).put("scheme", "FROST")
                    .put("custodians", new JsonArray().add("custodian-1").add("custodian-2").add("custodian-3")
                            .add("custodian-4").add("custodian-5"))
                    .put("kcv", Kcv.ofPublicKey(PUBLIC_KEY).hex())
                    .put("envelope", Base64.getEncoder().encodeToString(envelope)), TestCluster.ALICE);
            assertEquals(201, imported.status(), imported.body());
            Manifest manifest = Manifest.parse(cluster.get("/v1/keys/signing-key/versions/1/manifest").json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            for (int i = 1; i <= 5; i++) {
                byte[] signature = Ed25519.sign(cluster.custodianKey(i),
                        manifest.countersignatureStatement("custodian-" + i));
                assertEquals(201, cluster.post("/v1/keys/signing-key/versions/1/countersignatures", new JsonObject()
                        .put("custodianId", "custodian-" + i).put("signature",
                                Base64.getEncoder().encodeToString(signature)), null).status());
            }

            cluster.node(2).behave(StandInNode.Behaviour.LIE_IN_SIGN);
            // the first attempt is then signed by holders 1, 2 and 3, so the liar is in it
            cluster.node(4).behave(StandInNode.Behaviour.JOIN_SIGN_LATE);
            cluster.node(5).behave(StandInNode.Behaviour.JOIN_SIGN_LATE);
            byte[] first = "release 4.2.0".getBytes(StandardCharsets.UTF_8);
            byte[] second = new byte[] {0, 1, 2, (byte) 0xff};
            Response created = cluster.post("/v1/keys/signing-key/requests", new JsonObject()
                    .put("operation", "SIGN").put("reason", "tag the release").put("params", new JsonObject()
                            .put("messages", new JsonArray().add(Base64.getEncoder().encodeToString(first))
                                    .add(Base64.getEncoder().encodeToString(second)))), TestCluster.ALICE);
            assertEquals(201, created.status(), created.body());
            String requestId = created.json().getString("requestId");
            CanonicalRequest request = CanonicalRequest.parse(created.json().getString("canonical")
                    .getBytes(StandardCharsets.UTF_8));
            for (int i = 1; i <= 3; i++) {
                cluster.node(i).answer(Approval.sign(request, "custodian-" + i, Decision.APPROVE,
                        cluster.custodianKey(i)));
            }
            TestCluster.await("SIGN executed", () -> !cluster.get("/v1/requests/" + requestId).json()
                    .getString("state").matches("PENDING|APPROVED"));

            JsonObject done = cluster.get("/v1/requests/" + requestId).json();
            assertEquals("EXECUTED", done.getString("state"), done.encodePrettily());
            JsonArray bad = done.getJsonArray("badReleases");
            assertEquals(1, bad.size(), done.encodePrettily());
            assertEquals("node-2", bad.getJsonObject(0).getString("nodeId"));
            assertEquals(2, bad.getJsonObject(0).getInteger("index"));
            assertTrue(bad.getJsonObject(0).getString("problem").contains("fails its verification share"));
            assertEquals(2, done.getJsonArray("messages").size());
            JsonArray signatures = done.getJsonArray("signatures");
            var jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    concat(ED25519_SPKI, PUBLIC_KEY)));
            byte[][] messages = {first, second};
            for (int j = 0; j < 2; j++) {
                byte[] signature = Base64.getDecoder().decode(signatures.getString(j));
                assertTrue(org.bouncycastle.math.ec.rfc8032.Ed25519.verify(signature, 0, PUBLIC_KEY, 0, messages[j],
                        0, messages[j].length), "Bouncy Castle accepts signature " + (j + 1));
                Signature jdk = Signature.getInstance("Ed25519");
                jdk.initVerify(jdkKey);
                jdk.update(messages[j]);
                assertTrue(jdk.verify(signature), "the JDK accepts signature " + (j + 1));
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
