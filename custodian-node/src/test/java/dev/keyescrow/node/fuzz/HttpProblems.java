package dev.keyescrow.node.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.server.http.Problems;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** What every answer to fuzzed input must be: a success, or a 4xx RFC 9457 problem document; never a 5xx. */
final class HttpProblems {
    private HttpProblems() {
    }

    static void assertSuccessOrProblem(HttpResponse<String> response) {
        int status = response.statusCode();
        assertTrue(status < 500, () -> "status " + status + ": " + response.body());
        if (status >= 400) {
            assertEquals(Problems.CONTENT_TYPE, response.headers().firstValue("content-type").orElse(""),
                    response.body());
            assertEquals(status, new JsonObject(response.body()).getInteger("status"), response.body());
        }
    }
}
