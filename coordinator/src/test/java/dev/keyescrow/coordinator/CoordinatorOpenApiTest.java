package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.server.http.openapi.OpenApiContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator's OpenAPI document against a real coordinator ({@link TestCluster}: real
 * Hazelcast, tokens, journal and HTTP): the routes of the router it serves, the document it
 * serves, and a real answer of every documented operation, each validated by TestCluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorOpenApiTest {
    @TempDir
    static Path dir;

    private final OpenApiContract contract = CoordinatorOpenApi.CONTRACT;
    private final Set<String> exercised = new TreeSet<>();
    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(dir, 3);
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    private void seen(String method, String path) {
        contract.operationOf(method, path.split("\\?", 2)[0]).ifPresent(o -> exercised.add(o.key()));
    }

    private TestCluster.Response get(String path) throws Exception {
        seen("GET", path);
        return cluster.get(path);
    }

    private TestCluster.Response post(String path, JsonObject body, String bearer) throws Exception {
        seen("POST", path);
        return cluster.post(path, body, bearer);
    }

    /** A refusal: a 4xx problem document (its type and status are checked against the document by TestCluster). */
    private static void refused(TestCluster.Response response) {
        assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
        assertEquals("application/problem+json", response.contentType());
    }

    @Test
    void everyRouteOfTheRouterIsDocumentedAndEveryDocumentedRouteIsServed() {
        Set<String> served = OpenApiContract.servedRoutes(cluster.server.router());
        assertEquals(contract.documentedRoutes(), served, "routes served (right) and documented (left) differ");
        assertTrue(served.contains("GET /v1/keys/{keyId}/versions/{version}/manifest"), served.toString());
    }

    @Test
    void theDocumentIsValidOpenApi31AndEveryExampleMatchesItsSchema() {
        assertTrue(contract.verifyDocument() >= 2 * contract.documentedRoutes().size(),
                "an example for each request body and each response");
    }

    @Test
    void theCoordinatorServesItsDocumentWithoutAToken() throws Exception {
        TestCluster.Response served = get("/v1/openapi.json");
        assertEquals(200, served.status());
        assertEquals("application/json", served.contentType());
        assertEquals(contract.document(), new ObjectMapper().readTree(served.body()));
    }

    @Test
    void everyRefusalReasonIsAProblemTypeOfTheDocument() {
        String types = contract.document().at("/components/schemas/ProblemType/enum").toString();
        for (RefusalReason reason : RefusalReason.values()) {
            assertTrue(types.contains("\"" + reason.type() + "\""), reason + " is not in ProblemType");
        }
        String countersignatures = contract.document()
                .at("/paths/~1v1~1keys~1{keyId}~1versions~1{version}~1countersignatures/post/responses/422").toString();
        assertTrue(countersignatures.contains("problems/bad-signature"), "a bad signature is a 422, as at a node");
    }

    /** Pages of GET /v1/keys: the Link header walks every key once, in order; bad paging input is a 400. */
    @Test
    void keysComeInPagesThatTheLinkHeaderWalks() throws Exception {
        cluster.registerCustodians();
        Set<String> created = Set.of(cluster.createActiveKey("page-one"), cluster.createActiveKey("page-two"),
                cluster.createActiveKey("page-three"));
        java.util.List<String> walked = new java.util.ArrayList<>();
        String path = "/v1/keys?limit=2";
        int pages = 0;
        while (path != null) {
            TestCluster.Response page = get(path);
            assertEquals(200, page.status(), page.body());
            assertTrue(page.array().size() <= 2, page.body());
            page.array().forEach(k -> walked.add(((JsonObject) k).getString("keyId")));
            pages++;
            if (page.link() == null) {
                path = null;
            } else {
                java.util.regex.Matcher next = java.util.regex.Pattern.compile("^<(/v1/keys\\?limit=2&cursor=[a-z0-9-]+)>;"
                        + " rel=\"next\"$").matcher(page.link());
                assertTrue(next.matches(), page.link());
                path = next.group(1);
            }
        }
        assertTrue(walked.containsAll(created), walked.toString());
        assertEquals(new java.util.ArrayList<>(new TreeSet<>(walked)), walked, "every key once, in key-id order");
        assertEquals((walked.size() + 1) / 2, pages);
        TestCluster.Response all = get("/v1/keys");
        assertEquals(null, all.link(), "one default page holds them all");
        assertEquals(walked.size(), all.array().size());
        for (String bad : new String[] {"limit=0", "limit=1001", "limit=01", "limit=two", "limit=1&limit=2",
            "cursor=Not-An-Id", "cursor=a&cursor=b"}) {
            refused(get("/v1/keys?" + bad));
            assertEquals(400, get("/v1/keys?" + bad).status(), bad);
        }
        assertEquals(walked.size(), get("/v1/keys").array().size(), "refusals changed nothing");
    }

    /** One real answer per documented operation (and some of their problems); TestCluster validates each. */
    @Test
    void aRealAnswerOfEveryOperationMatchesTheDocument() throws Exception {
        String alice = TestCluster.ALICE;
        assertEquals(200, get("/metrics").status());
        assertEquals(200, get("/v1/health").status());
        assertEquals(200, get("/v1/health/ready").status());
        assertEquals(200, get("/v1/openapi.json").status());
        assertEquals(200, get("/v1/nodes").status());
        assertEquals(200, get("/v1/coordinator").status());

        JsonObject custodian = new JsonObject().put("id", "custodian-1").put("publicKey", cluster.custodianPublicKey(1))
                .put("nodeId", "node-1");
        assertEquals(401, post("/v1/custodians", custodian, null).status());
        assertEquals(400, post("/v1/custodians", custodian.copy().put("extra", 1), alice).status());
        assertEquals(422, post("/v1/custodians", custodian.copy().put("nodeId", "node-9"), alice).status());
        cluster.registerCustodians();
        assertEquals(201, post("/v1/custodians", custodian, alice).status());
        assertEquals(409, post("/v1/custodians", custodian.copy().put("nodeId", "node-2"), alice).status());
        assertEquals(200, get("/v1/custodians").status());

        JsonArray three = new JsonArray().add("custodian-1").add("custodian-2").add("custodian-3");
        assertEquals(422, post("/v1/keys", new JsonObject().put("name", "too-many").put("algorithm", "AES-256")
                .put("threshold", 4).put("custodians", three), alice).status());
        seen("POST", "/v1/keys");
        seen("GET", "/v1/keys/k/versions/1/manifest");
        seen("POST", "/v1/keys/k/versions/1/countersignatures");
        String key = cluster.createActiveKey("openapi-key");
        refused(post("/v1/keys/" + key + "/versions/1/countersignatures", new JsonObject()
                .put("custodianId", "custodian-1").put("signature", Base64.getEncoder().encodeToString(new byte[64])),
                null));
        assertEquals(400, post("/v1/keys/import", new JsonObject().put("name", "imported").put("algorithm", "AES-256")
                .put("threshold", 2).put("custodians", three).put("envelope", "not base64!"), alice).status());
        assertEquals(200, get("/v1/keys").status());
        assertEquals(200, get("/v1/keys/" + key).status());
        assertEquals(404, get("/v1/keys/nokey").status());
        assertEquals(200, get("/v1/keys/" + key + "/versions/1/manifest").status());
        assertEquals(400, get("/v1/keys/" + key + "/versions/01/manifest").status());

        TestCluster.Response created = post("/v1/keys/" + key + "/requests", new JsonObject().put("operation", "USE")
                .put("reason", "checking the API document").put("ttlSeconds", 600).put("params", new JsonObject()
                        .put("maxOperations", 3).put("sessionSeconds", 300)), alice);
        assertEquals(201, created.status(), created.body());
        String request = "/v1/requests/" + created.json().getString("requestId");
        assertEquals(200, get("/v1/requests").status());
        assertEquals(200, get(request).status());
        assertEquals(200, get(request + "?changedFrom=APPROVED&wait=1").status());
        assertEquals(400, get(request + "?changedFrom=NAPPING").status());
        JsonObject plaintext = new JsonObject().put("plaintext", "aGVsbG8=");
        refused(post(request + "/encrypt", plaintext, alice));
        refused(post(request + "/decrypt", new JsonObject().put("ciphertext", "aGVsbG8="), TestCluster.BOB));
        refused(post(request + "/sign", new JsonObject().put("message", "aGVsbG8="), alice));
        refused(post(request + "/export", null, alice));
        assertEquals(200, post(request + "/cancel", null, alice).status());
        assertEquals(409, post(request + "/cancel", null, alice).status());
        assertEquals(404, post("/v1/requests/req-0000000000000000/cancel", null, alice).status());

        assertEquals(409, post("/v1/custodians/custodian-1/retirement", new JsonObject().put("reason", "left"), alice)
                .status());
        assertEquals(404, post("/v1/custodians/custodian-77/retirement", new JsonObject().put("reason", "left"), alice)
                .status());
        JsonObject audit = get("/v1/audit").json();
        assertEquals(200, get("/v1/audit").status());
        assertEquals(200, get("/v1/audit/verify").status());
        assertEquals(200, get("/v1/audit/verify?contains=" + audit.getLong("sequence") + ":" + audit.getString("head"))
                .status());
        assertEquals(400, get("/v1/audit/verify?contains=x").status());
        assertEquals(200, get("/v1/audit/signatures").status());
        assertEquals(404, get("/v1/nothing-here").status());

        assertEquals(contract.documentedRoutes(), exercised, "every documented operation answered for real");
    }
}
