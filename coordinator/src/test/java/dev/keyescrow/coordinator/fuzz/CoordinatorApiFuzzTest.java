package dev.keyescrow.coordinator.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.coordinator.ApiFixture;
import dev.keyescrow.server.http.Problems;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator API's request bodies over real HTTP, one target per route that reads a
 * body, as an authenticated operator (the body parser sits behind the bearer check). One
 * coordinator with two stand-in nodes for the class; every answer is a success or a 4xx
 * RFC 9457 problem document, never a 5xx.
 */
class CoordinatorApiFuzzTest {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1");

    @TempDir
    static Path dir;

    private static ApiFixture api;

    @BeforeAll
    static void start() throws Exception {
        api = new ApiFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
    }

    /**
     * The harness talks to its own server and cluster on loopback; a connection anywhere else
     * stays a finding. Jazzer's agent is installed when the first input runs, hence here.
     */
    private static void post(String path, byte[] body) throws Exception {
        BugDetectors.allowNetworkConnections((host, port) -> LOOPBACK.contains(host));
        ApiFixture.Answer answer = api.postAsAlice(path, body);
        assertTrue(answer.status() < 500, () -> path + " answered " + answer.status() + ": " + answer.body());
        if (answer.status() >= 400) {
            assertEquals(Problems.CONTENT_TYPE, answer.contentType(), answer.body());
            assertEquals(answer.status(), new JsonObject(answer.body()).getInteger("status"), answer.body());
        }
    }

    @FuzzTest
    void custodians(byte[] body) throws Exception {
        post("/v1/custodians", body);
    }

    /** custodian-1 holds a share of the fixture's key: a valid body is refused (409) and changes nothing. */
    @FuzzTest
    void retirement(byte[] body) throws Exception {
        post("/v1/custodians/custodian-1/retirement", body);
    }

    @FuzzTest
    void keys(byte[] body) throws Exception {
        post("/v1/keys", body);
    }

    @FuzzTest
    void importKey(byte[] body) throws Exception {
        post("/v1/keys/import", body);
    }

    @FuzzTest
    void countersignatures(byte[] body) throws Exception {
        post("/v1/keys/" + ApiFixture.KEY + "/versions/1/countersignatures", body);
    }

    @FuzzTest
    void requests(byte[] body) throws Exception {
        post("/v1/keys/" + ApiFixture.KEY + "/requests", body);
    }

    @FuzzTest
    void encrypt(byte[] body) throws Exception {
        post("/v1/requests/req-fuzz/encrypt", body);
    }

    @FuzzTest
    void decrypt(byte[] body) throws Exception {
        post("/v1/requests/req-fuzz/decrypt", body);
    }

    @FuzzTest
    void sign(byte[] body) throws Exception {
        post("/v1/requests/req-fuzz/sign", body);
    }
}
