package dev.keyescrow.coordinator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * A {@link TestCluster} (coordinator and two stand-in nodes, custodians 1 and 2 registered,
 * one PRE_ACTIVE 2-of-2 AES key named {@link #KEY}) for tests outside this package, such as
 * the fuzz targets: alice posts raw bodies and gets the raw answer.
 */
public final class ApiFixture implements AutoCloseable {
    public static final String KEY = "fuzz-key";

    private final TestCluster cluster;

    public record Answer(int status, String contentType, String body) {
    }

    public ApiFixture(Path dir) throws Exception {
        cluster = new TestCluster(dir, 2);
        try {
            cluster.registerCustodians();
            TestCluster.Response created = cluster.post("/v1/keys", new JsonObject().put("name", KEY)
                    .put("algorithm", "AES-256").put("threshold", 2)
                    .put("custodians", new JsonArray().add("custodian-1").add("custodian-2")), TestCluster.ALICE);
            if (created.status() != 201) {
                throw new AssertionError("creating " + KEY + ": " + created);
            }
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
    }

    /** POSTs {@code body} as {@code application/json} with alice's bearer token. */
    public Answer postAsAlice(String path, byte[] body) throws Exception {
        TestCluster.Response r = cluster.postRaw(path, "application/json", body, TestCluster.ALICE);
        return new Answer(r.status(), r.contentType(), r.body());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
