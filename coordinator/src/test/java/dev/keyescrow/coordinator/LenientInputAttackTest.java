package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.TestCluster.Response;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An operator (or a stolen operator token) sends JSON that a lenient reader would bend into
 * something valid: a float or an out-of-range threshold truncated to a small one, an object
 * where an array belongs, a second custodian with someone else's key, an Ed25519 key of small
 * order (for which signatures can be forged by anyone). Over real HTTP against a real
 * coordinator whose key is ACTIVE, so that a lenient reader would have accepted each call:
 * every one must be a 4xx problem document naming the field, and change nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LenientInputAttackTest {
    @TempDir
    static Path dir;

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 3);
        cluster.registerCustodians();
        Response created = cluster.post("/v1/keys", new JsonObject().put("name", "lenient-key")
                .put("algorithm", "AES-256").put("threshold", 2).put("custodians", new JsonArray()
                        .add("custodian-1").add("custodian-2").add("custodian-3")), TestCluster.ALICE);
        assertEquals(201, created.status(), created.body());
        Response r = cluster.get("/v1/keys/lenient-key/versions/1/manifest");
        Manifest manifest = Manifest.parse(r.json().getString("canonical").getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= 3; i++) {
            String custodian = "custodian-" + i;
            byte[] signature = Ed25519.sign(cluster.custodianKey(i), manifest.countersignatureStatement(custodian));
            Response c = cluster.post("/v1/keys/lenient-key/versions/1/countersignatures", new JsonObject()
                    .put("custodianId", custodian).put("signature", Base64.getEncoder().encodeToString(signature)),
                    null);
            assertEquals(201, c.status(), c.body());
        }
        assertEquals("ACTIVE", cluster.get("/v1/keys/lenient-key").json().getJsonArray("versions")
                .getJsonObject(0).getString("state"));
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    /** Everything a refused call must leave as it was. */
    private String state() throws Exception {
        return cluster.get("/v1/audit").json().getLong("sequence") + "|" + cluster.get("/v1/keys").body() + "|"
                + cluster.get("/v1/custodians").body() + "|" + cluster.get("/v1/requests").body();
    }

    private void assertRefused(String path, String json, int status, String field) throws Exception {
        String before = state();
        Response r = cluster.postRaw(path, "application/json", json.getBytes(StandardCharsets.UTF_8),
                TestCluster.ALICE);
        assertEquals(status, r.status(), json + " -> " + r.body());
        assertEquals("application/problem+json", r.contentType());
        assertTrue(r.json().getString("detail").contains(field), "the problem names " + field + ": " + r.body());
        assertEquals(before, state(), "a refused call changes nothing: " + json);
    }

    private static String reshare(String threshold, String holders) {
        return "{\"operation\":\"RESHARE\",\"reason\":\"attack\",\"params\":{\"threshold\":" + threshold
                + ",\"holders\":" + holders + "}}";
    }

    /** Custodian {@code i} as a RESHARE holder, exactly as registered. */
    private String holder(int i) {
        return new JsonObject().put("custodianId", "custodian-" + i).put("publicKey", cluster.custodianPublicKey(i))
                .put("nodeId", "node-" + i).encode();
    }

    private String holders(int... custodians) {
        StringBuilder out = new StringBuilder("[");
        for (int i : custodians) {
            out.append(out.length() > 1 ? "," : "").append(holder(i));
        }
        return out.append("]").toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.9", "2.0", "2e0", "0.2E1", "4294967298", "-4294967294", "18446744073709551618"})
    void aKeyThresholdThatIsNotAnIntegerInRange_isA400(String threshold) throws Exception {
        assertRefused("/v1/keys", "{\"name\":\"bent-key\",\"algorithm\":\"AES-256\",\"threshold\":" + threshold
                + ",\"custodians\":[\"custodian-1\",\"custodian-2\"]}", 400, "threshold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.9", "2.0", "2e0", "4294967298", "-4294967294", "9223372036854775810"})
    void aReshareThresholdThatIsNotAnIntegerInRange_isA400(String threshold) throws Exception {
        assertRefused("/v1/keys/lenient-key/requests", reshare(threshold, holders(1, 2)),
                400, "threshold");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":HOLDER,\"b\":HOLDER}", "HOLDER", "\"custodian-1\"", "[HOLDER,2]",
        "[HOLDER,[HOLDER]]", "[HOLDER,{\"custodianId\":2,\"publicKey\":\"x\",\"nodeId\":\"node-2\"}]",
        "[HOLDER,{\"custodianId\":\"custodian-2\"}]", "[\"custodian-1\",\"custodian-2\"]"})
    void reshareHoldersThatAreNotAnArrayOfHolderObjects_isA400(String holders) throws Exception {
        assertRefused("/v1/keys/lenient-key/requests", reshare("2", holders.replace("HOLDER", holder(1))), 400,
                "holders");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":\"custodian-1\",\"b\":\"custodian-2\"}", "\"custodian-1\"",
        "[\"custodian-1\",2]", "[\"custodian-1\",true]"})
    void keyCustodiansThatAreNotAnArrayOfStrings_isA400(String custodians) throws Exception {
        assertRefused("/v1/keys", "{\"name\":\"bent-key\",\"algorithm\":\"AES-256\",\"threshold\":2,\"custodians\":"
                + custodians + "}", 400, "custodians");
    }

    @ParameterizedTest
    @ValueSource(strings = {"600.5", "6e2", "600.0", "9223372036854775808"})
    void aTtlThatIsNotAnInteger_isA400(String ttl) throws Exception {
        assertRefused("/v1/keys/lenient-key/requests", "{\"operation\":\"USE\",\"reason\":\"attack\",\"ttlSeconds\":"
                + ttl + ",\"params\":{\"maxOperations\":1,\"sessionSeconds\":60}}", 400, "ttlSeconds");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0", "1e0", "4294967297"})
    void aRequestVersionThatIsNotAnInteger_isA400(String version) throws Exception {
        assertRefused("/v1/keys/lenient-key/requests", "{\"operation\":\"USE\",\"reason\":\"attack\",\"version\":"
                + version + ",\"params\":{\"maxOperations\":1,\"sessionSeconds\":60}}", 400, "version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxOperations\":1.5,\"sessionSeconds\":60", "maxOperations\":1,\"sessionSeconds\":6e1",
        "maxOperations\":9007199254740993,\"sessionSeconds\":60", "maxOperations\":1,\"sessionSeconds\":1.0"})
    void useParamsThatAreNotIntegers_areA400(String members) throws Exception {
        assertRefused("/v1/keys/lenient-key/requests", "{\"operation\":\"USE\",\"reason\":\"attack\",\"params\":{\""
                + members + "}}", 400, "params.");
    }

    @Test
    void anIntegerOutsideItsDomain_isNamedAndNeverNarrowed() throws Exception {
        // 2^32 + 1 would be 1 as an int: it must be refused as itself
        assertRefused("/v1/keys/lenient-key/requests", "{\"operation\":\"USE\",\"reason\":\"attack\",\"params\":"
                + "{\"maxOperations\":4294967297,\"sessionSeconds\":60}}", 422, "maxOperations 4294967297");
        assertRefused("/v1/keys/lenient-key/requests", reshare("257", holders(1, 2)), 422,
                "threshold 257");
    }

    @Test
    void aSecondCustodianWithAnotherCustodiansKey_isA409() throws Exception {
        assertRefused("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", cluster.custodianPublicKey(1)).put("nodeId", "node-2").encode(), 409, "publicKey");
    }

    /**
     * The small-order points of edwards25519 (identity, order 2, 4 and 8, with the sign bit
     * both ways), non-canonical encodings (y at or above p) and a mixed-order point.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000080",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000080",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
        "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        // the base point plus a point of order 8: on the curve, canonical, but not of prime order
        "da99e28ba529cdde35a25fba9059e78ecaee239f99755b9b1aa4f65df00803e2"
    })
    void aCustodianKeyThatIsNotAPointOfPrimeOrder_isA400(String hex) throws Exception {
        assertRefused("/v1/custodians", new JsonObject().put("id", "custodian-9")
                .put("publicKey", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex)))
                .put("nodeId", "node-2").encode(), 400, "publicKey");
    }

    @Test
    void theHonestCallsStillWork() throws Exception {
        Response r = cluster.postRaw("/v1/keys/lenient-key/requests", "application/json",
                reshare("2", holders(1, 2, 3)).getBytes(StandardCharsets.UTF_8),
                TestCluster.ALICE);
        assertEquals(201, r.status(), r.body());
        assertEquals("PENDING", r.json().getString("state"));
        assertTrue(r.json().getString("canonical").contains("\"threshold\":2"), r.body());
    }
}
