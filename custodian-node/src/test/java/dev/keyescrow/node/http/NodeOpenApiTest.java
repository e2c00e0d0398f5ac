package dev.keyescrow.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.node.NodeHttpServer;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.NodeRefusalReason;
import dev.keyescrow.server.http.openapi.OpenApiContract;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * The node's OpenAPI document against a real node: the routes of the router it serves, the
 * document it serves, and a real answer of every documented operation validated against it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeOpenApiTest {
    @TempDir
    static Path state;

    private final OpenApiContract contract = NodeOpenApi.CONTRACT;
    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private final HttpClient http = HttpClient.newHttpClient();
    private final Set<String> exercised = new TreeSet<>();
    private ServedNode served;
    private Ceremony ceremony;
    private NodeService service;
    private NodeHttpServer node;
    private String base;

    @BeforeAll
    void start() throws Exception {
        served = ServedNode.start(state, clock, 1);
        ceremony = served.ceremony;
        service = served.service;
        node = served.node;
        base = served.base;
    }

    @AfterAll
    void stop() throws Exception {
        served.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = NodeOpenApi.checked(http.send(request.build(),
                HttpResponse.BodyHandlers.ofString()));
        contract.operationOf(response.request().method(), response.request().uri().getRawPath())
                .ifPresent(o -> exercised.add(o.key()));
        return response;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("content-type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    @Test
    void everyRouteOfTheRouterIsDocumentedAndEveryDocumentedRouteIsServed() {
        Set<String> served = OpenApiContract.servedRoutes(node.router());
        assertEquals(contract.documentedRoutes(), served, "routes served (right) and documented (left) differ");
        assertTrue(served.contains("POST /v1/requests/{requestId}/approvals"), served.toString());
    }

    @Test
    void theDocumentIsValidOpenApi31AndEveryExampleMatchesItsSchema() {
        assertTrue(contract.verifyDocument() >= 2 * contract.documentedRoutes().size(),
                "an example for each request body and each response");
    }

    @Test
    void theNodeServesItsDocumentWithoutAToken() throws Exception {
        HttpResponse<String> served = get("/v1/openapi.json");
        assertEquals(200, served.statusCode());
        assertEquals("application/json", served.headers().firstValue("content-type").orElseThrow());
        assertEquals(contract.document(), new ObjectMapper().readTree(served.body()));
    }

    /**
     * A client that offers a cleartext HTTP/2 upgrade (the JDK's client does by default) gets a plain
     * HTTP/1.1 answer: the upgrade path once sent a large body as HTTP/1.1 bytes after switching.
     */
    @Test
    void anOfferToUpgradeToCleartextHttp2IsDeclined() throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /v1/openapi.json HTTP/1.1\r\nHost: " + uri.getAuthority()
                    + "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
            assertEquals("HTTP/1.1 200 OK", status);
        }
    }

    /** One real answer per documented operation (and some of their problems), each validated by {@link #send}. */
    @Test
    void aRealAnswerOfEveryOperationMatchesTheDocument() throws Exception {
        CanonicalRequest request = ceremony.useRequest("req-openapi");
        service.submit(ceremony.requestEvent(request));
        Approval approval = ceremony.answer(request, 1, Decision.APPROVE);
        String answer = new JsonObject().put("custodianId", approval.custodianId())
                .put("decision", approval.decision().name())
                .put("signature", Base64.getEncoder().encodeToString(approval.signature())).encode();

        assertEquals(200, get("/metrics").statusCode());
        assertEquals(200, get("/v1/health").statusCode());
        assertEquals(200, get("/v1/health/ready").statusCode());
        assertEquals(200, get("/v1/openapi.json").statusCode());
        assertEquals(200, get("/v1/node").statusCode());
        assertEquals(200, get("/v1/requests").statusCode());
        assertEquals(200, get("/v1/requests?state=PENDING").statusCode());
        assertEquals(400, get("/v1/requests?state=NAPPING").statusCode());
        assertEquals(200, get("/v1/requests/req-openapi").statusCode());
        assertEquals(400, get("/v1/requests/req-openapi?wait=61").statusCode());
        assertEquals(404, get("/v1/requests/req-absent").statusCode());
        assertEquals(400, get("/v1/requests/NOT_AN_ID").statusCode());
        String approvals = "/v1/requests/req-openapi/approvals";
        assertEquals(415, post(approvals, "text/plain", answer).statusCode());
        assertEquals(400, post(approvals, "application/json", "{}").statusCode());
        assertEquals(413, post(approvals, "application/json", "x".repeat(20_000)).statusCode());
        assertEquals(422, post(approvals, "application/json", new JsonObject(answer).put("signature",
                Base64.getEncoder().encodeToString(new byte[64])).encode()).statusCode());
        assertEquals(403, post(approvals, "application/json", new JsonObject(answer)
                .put("custodianId", "custodian-3").encode()).statusCode());
        assertEquals(201, post(approvals, "application/json", answer).statusCode());
        assertEquals(409, post(approvals, "application/json", answer).statusCode());
        assertEquals(200, get("/v1/shares").statusCode());
        assertEquals(200, get("/v1/audit").statusCode());
        assertEquals(404, get("/v1/nothing-here").statusCode());
        assertEquals(404, post("/v1/node", "application/json", "{}").statusCode());

        assertEquals(contract.documentedRoutes(), exercised, "every documented operation answered for real");
    }

    @Test
    void everyRefusalReasonIsAProblemTypeAndTheNodesOwnStatusesAreDocumented() {
        String approvals = contract.document().at("/paths/~1v1~1requests~1{requestId}~1approvals/post/responses")
                .toString();
        assertTrue(approvals.contains("\"422\"") && approvals.contains("problems/bad-signature"), approvals);
        assertTrue(approvals.contains("\"410\"") && approvals.contains("problems/expired"), approvals);
        String types = contract.document().at("/components/schemas/ProblemType/enum").toString();
        for (NodeRefusalReason reason : NodeRefusalReason.values()) {
            assertTrue(types.contains("\"" + reason.type() + "\""), reason + " is not in ProblemType");
        }
    }
}
