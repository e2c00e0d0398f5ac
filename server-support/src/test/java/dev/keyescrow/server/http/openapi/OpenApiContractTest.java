package dev.keyescrow.server.http.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker the servers' tests rely on catches each kind of drift between a document and a server. */
class OpenApiContractTest {
    private static final String PROBLEM = "{\"type\":\"object\",\"required\":[\"type\",\"title\",\"status\",\"detail\","
            + "\"instance\"],\"additionalProperties\":false,\"properties\":{\"type\":{\"type\":\"string\"},"
            + "\"title\":{\"type\":\"string\"},\"status\":{\"type\":\"integer\"},\"detail\":{\"type\":\"string\"},"
            + "\"instance\":{\"type\":\"string\"}}}";
    private static final String DOCUMENT = "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"t\",\"version\":\"1\"},"
            + "\"paths\":{\"/v1/things/{thingId}\":{\"get\":{\"operationId\":\"getThing\",\"summary\":\"a thing\","
            + "\"parameters\":[{\"name\":\"thingId\",\"in\":\"path\",\"required\":true,\"schema\":{\"type\":\"string\"}}],"
            + "\"responses\":{\"200\":{\"description\":\"ok\",\"content\":{\"application/json\":{\"schema\":"
            + "{\"$ref\":\"#/components/schemas/Thing\"},\"example\":{\"id\":\"a\"}}}},"
            + "\"404\":{\"description\":\"none\",\"content\":{\"application/problem+json\":{\"schema\":"
            + "{\"$ref\":\"#/components/schemas/Problem\",\"properties\":{\"type\":{\"enum\":"
            + "[\"https://keyescrow.dev/problems/unknown-thing\"]}}},\"example\":{\"type\":"
            + "\"https://keyescrow.dev/problems/unknown-thing\",\"title\":\"Not Found\",\"status\":404,"
            + "\"detail\":\"no thing\",\"instance\":\"/v1/things/a\"}}}}}}}},"
            + "\"components\":{\"schemas\":{\"Thing\":{\"type\":\"object\",\"required\":[\"id\"],"
            + "\"additionalProperties\":false,\"properties\":{\"id\":{\"type\":\"string\"}}},\"Problem\":" + PROBLEM
            + "}}}";

    private final OpenApiContract contract = OpenApiContract.of("things.json", DOCUMENT);

    private static String problem(String type, int status) {
        return "{\"type\":\"https://keyescrow.dev/problems/" + type + "\",\"title\":\"x\",\"status\":" + status
                + ",\"detail\":\"d\",\"instance\":\"/\"}";
    }

    @Test
    void aDocumentedAnswerPasses() {
        contract.check("GET", "/v1/things/a?x=1", 200, "application/json", "{\"id\":\"a\"}");
        contract.check("GET", "/v1/things/b", 404, "application/problem+json", problem("unknown-thing", 404));
        contract.check("POST", "/v1/elsewhere", 404, "application/problem+json", problem("not-found", 404));
        assertEquals(2, contract.verifyDocument());
    }

    @Test
    void anUndocumentedFieldStatusMediaTypeOrProblemTypeFails() {
        assertThrows(AssertionError.class, () -> contract.check("GET", "/v1/things/a", 200, "application/json",
                "{\"id\":\"a\",\"secret\":\"s\"}"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/v1/things/a", 200, "application/json",
                "{}"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/v1/things/a", 201, "application/json",
                "{\"id\":\"a\"}"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/v1/things/a", 200, "text/plain", "a"));
        assertThrows(AssertionError.class, () -> contract.check("GET", "/v1/things/a", 404,
                "application/problem+json", problem("gone", 404)));
        assertThrows(AssertionError.class, () -> contract.check("DELETE", "/v1/things/a", 204,
                "application/json", "{}"));
    }

    @Test
    void anExampleThatDoesNotMatchItsSchemaFails() {
        OpenApiContract broken = OpenApiContract.of("broken.json", DOCUMENT.replace("\"example\":{\"id\":\"a\"}",
                "\"example\":{\"id\":7}"));
        assertThrows(AssertionError.class, broken::verifyDocument);
    }

    @Test
    void routesAreReadFromTheRouterWithPathParametersInBracesAndStaticPagesLeftOut() {
        Vertx vertx = Vertx.vertx();
        try {
            Router router = Router.router(vertx);
            router.route().handler(ctx -> ctx.next());
            router.get("/v1/things/:thingId").handler(ctx -> ctx.end());
            router.post("/v1/things").handler(ctx -> ctx.end());
            router.get("/ui/requests/:requestId").handler(ctx -> ctx.end());
            router.route("/ui/*").handler(ctx -> ctx.end());
            router.route("/v1/any").handler(ctx -> ctx.end());
            Set<String> served = OpenApiContract.servedRoutes(router);
            assertEquals(Set.of("GET /v1/things/{thingId}", "POST /v1/things", "ANY /v1/any"), served);
            assertTrue(contract.documentedRoutes().contains("GET /v1/things/{thingId}"));
        } finally {
            vertx.close();
        }
    }
}
