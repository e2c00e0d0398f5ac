package dev.keyescrow.node.http;

import dev.keyescrow.server.http.Problems;

import dev.keyescrow.server.http.RefusalLog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node API over real HTTP: a Vert.x server, the node's real signed journal on disk, real
 * signatures. One fixture for the class: a 3-of-5 key whose shares 1 and 2 are on this node.
 * Every answer is also checked against the node's OpenAPI document ({@link NodeOpenApi}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeApiTest {
    @TempDir
    static Path state;

    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final HttpClient http = HttpClient.newHttpClient();
    private ServedNode served;
    private Ceremony ceremony;
    private NodeService service;
    private RefusalLog refusals;
    private String base;
    private java.util.List<Approval> published;

    @BeforeAll
    void start() throws Exception {
        served = ServedNode.start(state, clock, 1, 2);
        ceremony = served.ceremony;
        service = served.service;
        refusals = served.refusals;
        base = served.base;
        published = served.published;
    }

    @AfterAll
    void stop() throws Exception {
        served.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return NodeOpenApi.checked(http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return NodeOpenApi.checked(http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private static String answerJson(Approval a) {
        return new JsonObject().put("custodianId", a.custodianId()).put("decision", a.decision().name())
                .put("signature", Base64.getEncoder().encodeToString(a.signature())).encode();
    }

    private HttpResponse<String> answer(Approval a) throws Exception {
        return post("/v1/requests/" + a.requestId() + "/approvals", "application/json", answerJson(a));
    }

    private CanonicalRequest admit(String requestId) throws Exception {
        CanonicalRequest request = ceremony.useRequest(requestId);
        service.submit(ceremony.requestEvent(request));
        return request;
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detailPart) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(Problems.CONTENT_TYPE, response.headers().firstValue("content-type").orElseThrow());
        JsonObject problem = new JsonObject(response.body());
        assertEquals(status, problem.getInteger("status"));
        assertTrue(problem.getString("detail").contains(detailPart), problem.getString("detail"));
    }

    @Test
    void aRequestView_namesTheKcvAndTheCustodiansWhoAnswerHere_withTheirPinnedKeys() throws Exception {
        admit("req-view-holders");
        JsonObject view = new JsonObject(get("/v1/requests/req-view-holders").body());
        assertEquals("123abc", view.getString("kcv"));
        JsonArray here = view.getJsonArray("custodians");
        assertEquals(2, here.size(), "custodians 1 and 2 hold their shares on node-a; 3 to 5 elsewhere");
        for (int i = 0; i < 2; i++) {
            JsonObject c = here.getJsonObject(i);
            assertEquals("custodian-" + (i + 1), c.getString("custodianId"));
            assertEquals(Base64.getEncoder().encodeToString(ceremony.manifest.holders().get(i).publicKey()),
                    c.getString("publicKey"));
        }
        assertTrue(view.containsKey("canonical") && view.containsKey("coordinatorSignature"),
                "the fields clients already read are still there");
    }

    @Test
    void theCustodianPages_areServedWithAStrictPolicy_andNothingElseUnderUi() throws Exception {
        for (String path : List.of("/ui/", "/ui/requests/req-1", "/ui/key-check", "/ui/assets/der.js")) {
            HttpResponse<String> page = get(path);
            assertEquals(200, page.statusCode(), path);
            assertTrue(page.headers().firstValue("content-security-policy").orElse("")
                    .startsWith("default-src 'self'; frame-ancestors 'none'"), path);
            assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""), path);
        }
        assertTrue(get("/ui/assets/der.js").headers().firstValue("content-type").orElse("").startsWith(
                "text/javascript"));
        assertProblem(get("/ui/assets/missing.js"), 404, "not an endpoint");
        assertProblem(get("/ui/requests/Bad_Id"), 404, "not an endpoint");
    }

    @Test
    void healthAndNodeDescription() throws Exception {
        assertEquals("UP", new JsonObject(get("/v1/health").body()).getString("status"));
        JsonObject node = new JsonObject(get("/v1/node").body());
        assertEquals("node-a", node.getString("nodeId"));
        assertEquals("aa".repeat(32), node.getString("identityFingerprint"));
        assertEquals("software", node.getString("vault"));
        JsonArray shares = new JsonArray(get("/v1/shares").body());
        assertEquals(2, shares.size());
        assertEquals(1, shares.getJsonObject(0).getInteger("index"));
    }

    @Test
    void aCustodianSeesTheRequestAndItsDigestMatchesTheCanonicalText() throws Exception {
        CanonicalRequest request = admit("req-view");
        JsonObject view = new JsonObject(get("/v1/requests/req-view").body());
        assertEquals("PENDING", view.getString("state"));
        assertEquals(request.digest(), view.getString("digest"));
        assertEquals(request.digest(), CanonicalRequest.parse(view.getString("canonical")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).digest());
        JsonArray pending = new JsonArray(get("/v1/requests?state=PENDING").body());
        assertTrue(pending.stream().anyMatch(o -> ((JsonObject) o).getString("requestId").equals("req-view")));
        assertProblem(get("/v1/requests?state=NAPPING"), 400, "state must be one of");
        assertProblem(get("/v1/requests/req-none"), 404, "no request req-none");
        assertProblem(get("/v1/requests/BAD_ID"), 400, "request id must match");
        assertProblem(get("/v1/nothing-here"), 404, "is not an endpoint");
    }

    /** {@code ?wait=S}: a custodian's client asks once and hears the request the moment it arrives. */
    @Test
    void aLongPollAnswersWhenTheRequestArrives_andA404IfItDoesNot() throws Exception {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base + "/v1/requests/req-late?wait=30")).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "the request is not here yet, so the poll must still wait");
        CanonicalRequest request = admit("req-late");
        HttpResponse<String> arrived = waiting.get(30, TimeUnit.SECONDS);
        assertEquals(200, arrived.statusCode(), arrived.body());
        assertEquals(request.digest(), new JsonObject(arrived.body()).getString("digest"));

        assertProblem(get("/v1/requests/req-never?wait=1"), 404, "no request req-never");
        for (String bad : new String[] {"0", "61", "soon", "-1"}) {
            assertProblem(get("/v1/requests/req-late?wait=" + bad), 400, "wait must be");
        }
    }

    @Test
    void approvalsAreCountedAndTheQuorumIsReachedWithAnAnswerFromTheCluster() throws Exception {
        CanonicalRequest request = admit("req-quorum");
        HttpResponse<String> first = answer(ceremony.answer(request, 1, Decision.APPROVE));
        assertEquals(201, first.statusCode(), first.body());
        assertEquals(1, new JsonObject(first.body()).getInteger("approvals"));
        assertEquals(201, answer(ceremony.answer(request, 2, Decision.APPROVE)).statusCode());
        assertEquals(List.of(), service.dueReleases("req-quorum"), "t - 1 approvals: no release");
        service.submit(new NodeEvent.AnswerAccepted(ceremony.answer(request, 4, Decision.APPROVE), false));
        assertEquals("APPROVED", new JsonObject(get("/v1/requests/req-quorum").body()).getString("state"));
        assertEquals(List.of(1, 2), service.dueReleases("req-quorum"));
        assertEquals(2, published.stream().filter(a -> a.requestId().equals("req-quorum")).count(),
                "accepted answers are handed to the cluster");
    }

    @Test
    void everyBadAnswerGetsItsProblemAndChangesNothing() throws Exception {
        CanonicalRequest request = admit("req-bad");
        CanonicalRequest other = admit("req-other");
        long before = service.head().sequence();
        Approval good = ceremony.answer(request, 1, Decision.APPROVE);
        String path = "/v1/requests/req-bad/approvals";

        assertProblem(post(path, "application/json", "{not json"), 400, "malformed JSON");
        assertProblem(post(path, "application/json", answerJson(good).replace("}", ",\"extra\":1}")), 400,
                "unknown field \"extra\"");
        assertProblem(post(path, "application/json", answerJson(good) + " {}"), 400, "malformed JSON");
        assertProblem(post(path, "application/json", "{\"custodianId\":\"custodian-1\"}"), 400, "required");
        assertProblem(post(path, "text/plain", answerJson(good)), 415, "application/json");
        assertProblem(post(path, "application/json", "{\"pad\":\"" + "x".repeat(20_000) + "\"}"), 413, "exceeds");
        assertProblem(post(path, "application/json", answerJson(good).replace("APPROVE", "MAYBE")), 400,
                "APPROVE or DENY");
        String shortSignature = new JsonObject(answerJson(good)).put("signature",
                Base64.getEncoder().encodeToString(new byte[63])).encode();
        assertProblem(post(path, "application/json", shortSignature), 400, "64-byte");
        Approval forged = new Approval("req-bad", request.digest(), "custodian-2", Decision.APPROVE, good.signature());
        assertProblem(answer(forged), 422, "does not verify");
        Approval otherRequest = ceremony.answer(other, 1, Decision.APPROVE);
        assertProblem(post(path, "application/json", answerJson(otherRequest)), 422, "does not verify");
        assertProblem(answer(ceremony.answer(request, 3, Decision.APPROVE)), 403, "not on node node-a");
        Approval stranger = Approval.sign(request, "custodian-9", Decision.APPROVE, ceremony.custodianKeys.get(0));
        assertProblem(answer(stranger), 403, "not pinned");
        assertProblem(post("/v1/requests/req-missing/approvals", "application/json", answerJson(good)), 404,
                "no request req-missing");

        assertEquals(before, service.head().sequence(), "refused answers are not journaled");
        assertEquals(201, answer(good).statusCode());
        assertProblem(answer(good), 409, "already answered");
        assertEquals(before + 1, service.head().sequence());
        assertTrue(Files.readAllLines(refusals.file()).size() >= 10, "refusals go to the refusal log");
    }

    @Test
    void metricsCountAnswersAndRequestsInThePrometheusTextFormat() throws Exception {
        CanonicalRequest request = admit("req-metrics");
        assertEquals(201, answer(ceremony.answer(request, 2, Decision.APPROVE)).statusCode());
        HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        String body = metrics.body();
        assertTrue(body.contains("# TYPE keyescrow_node_answers_total counter"), body);
        java.util.regex.Matcher counted = java.util.regex.Pattern
                .compile("keyescrow_node_answers_total\\{outcome=\"COUNTED\"} (\\d+)").matcher(body);
        assertTrue(counted.find() && Long.parseLong(counted.group(1)) >= 1, body);
        assertTrue(body.contains("keyescrow_node_http_requests_total{class=\"2xx\"}"), body);
        assertTrue(body.contains("keyescrow_node_hsm_seconds_count{operation=\"release\"} 0"), body);
    }

    @Test
    void answersAfterExpiryAreRefused() throws Exception {
        CanonicalRequest request = admit("req-expiring");
        Approval late = ceremony.answer(request, 2, Decision.APPROVE);
        MutableClock.class.cast(clock).advance(Duration.ofSeconds(3600));
        try {
            assertProblem(answer(late), 410, "expired");
            assertEquals("EXPIRED", new JsonObject(get("/v1/requests/req-expiring").body()).getString("state"));
        } finally {
            clock.advance(Duration.ofSeconds(-3600));
        }
    }
}
