package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.KeyScheme;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.spec.ShareSender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/keys/import} with scheme FROST over real HTTP and a real Hazelcast cluster:
 * the Ed25519 key is split by RFC 9591's trusted dealer, the manifest pins the original public
 * key as group key and a verification share per holder, the nodes confirm their shares and the
 * custodians countersign as for any key; operations that would rebuild the key are refused.
 */
class FrostImportTest {
    private static final byte[] SEED = HexFormat.of().parseHex(
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"); // RFC 8032 7.1 TEST 1
    private static final byte[] PUBLIC_KEY = HexFormat.of().parseHex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");

    @TempDir
    Path dir;

    @Test
    void importsAnEd25519KeyAsFrostAndRefusesWhatWouldRebuildIt() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 5)) {
            cluster.registerCustodians();
            String kcv = Kcv.ofPublicKey(PUBLIC_KEY).hex();
            Response wrongAlgorithm = importKey(cluster, "aes-frost", "AES-256", SecretBytes.copyFrom(new byte[32]),
                    null);
            assertEquals(422, wrongAlgorithm.status(), wrongAlgorithm.body());
            assertEquals(404, cluster.get("/v1/keys/aes-frost").status());
            Response badScheme = cluster.post("/v1/keys/import", body("x-key", "ED25519", new byte[8], kcv)
                    .put("scheme", "BLS"), TestCluster.ALICE);
            assertEquals(400, badScheme.status(), badScheme.body());

            Response imported = importKey(cluster, "signing-key", "ED25519", SecretBytes.copyFrom(SEED), kcv);
            assertEquals(201, imported.status(), imported.body());
            assertEquals("FROST", imported.json().getString("scheme"));
            assertEquals(kcv, imported.json().getString("kcv"));
            assertArrayEquals(PUBLIC_KEY, Base64.getDecoder().decode(imported.json().getString("publicKey")));

            Manifest manifest = Manifest.parse(cluster.get("/v1/keys/signing-key/versions/1/manifest").json()
                    .getString("canonical").getBytes(StandardCharsets.UTF_8));
            assertEquals(KeyScheme.FROST, manifest.scheme());
            assertArrayEquals(PUBLIC_KEY, manifest.frost().groupPublicKey());
            assertEquals(5, manifest.frost().verificationShares().size());
            assertTrue(manifest.frost().isConsistentFor(3));
            for (int i = 1; i <= 5; i++) {
                byte[] signature = Ed25519.sign(cluster.custodianKey(i),
                        manifest.countersignatureStatement("custodian-" + i));
                Response c = cluster.post("/v1/keys/signing-key/versions/1/countersignatures", new JsonObject()
                        .put("custodianId", "custodian-" + i).put("signature",
                                Base64.getEncoder().encodeToString(signature)), null);
                assertEquals(201, c.status(), c.body());
                assertEquals(i == 5 ? "ACTIVE" : "PRE_ACTIVE", c.json().getString("state"));
            }

            for (String operation : new String[] {"USE", "EXPORT", "REFRESH"}) {
                JsonObject params = switch (operation) {
                    case "USE" -> new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60);
                    case "EXPORT" -> new JsonObject().put("recipientPublicKey", Base64.getEncoder().encodeToString(
                            dev.keyescrow.hsm.spec.P256.publicKeyOf(dev.keyescrow.hsm.spec.P256.generatePrivateKey(
                                    cluster.random))));
                    default -> new JsonObject();
                };
                long before = cluster.get("/v1/audit").json().getLong("sequence");
                Response r = cluster.post("/v1/keys/signing-key/requests", new JsonObject().put("operation", operation)
                        .put("reason", "must be refused").put("params", params), TestCluster.ALICE);
                assertEquals(422, r.status(), operation + ": " + r.body());
                assertTrue(r.json().getString("detail").contains("FROST"), r.body());
                assertEquals(before, cluster.get("/v1/audit").json().getLong("sequence"), "nothing journaled");
            }
            Response destroy = cluster.post("/v1/keys/signing-key/requests", new JsonObject()
                    .put("operation", "DESTROY").put("reason", "retire").put("params", new JsonObject()),
                    TestCluster.ALICE);
            assertEquals(201, destroy.status(), destroy.body());
        }
    }

    private static Response importKey(TestCluster cluster, String name, String algorithm, SecretBytes key,
            String kcv) throws Exception {
        byte[] transport = Base64.getDecoder().decode(cluster.get("/v1/coordinator").json()
                .getString("transportPublicKey"));
        try (key) {
            byte[] envelope = ShareSender.wrapForKeyImport(transport, name, KeyAlgorithm.fromWireName(algorithm),
                    key, cluster.random);
            return cluster.post("/v1/keys/import", body(name, algorithm, envelope, kcv).put("scheme", "FROST"),
                    TestCluster.ALICE);
        }
    }

    private static JsonObject body(String name, String algorithm, byte[] envelope, String kcv) {
        JsonObject body = new JsonObject().put("name", name).put("algorithm", algorithm).put("threshold", 3)
                .put("custodians", new JsonArray().add("custodian-1").add("custodian-2").add("custodian-3")
                        .add("custodian-4").add("custodian-5"))
                .put("envelope", Base64.getEncoder().encodeToString(envelope));
        if (kcv != null) {
            body.put("kcv", kcv);
        }
        return body;
    }
}
