package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /v1/health/ready} on a real Vert.x server: 200 when every check passes, 503 naming each that fails. */
class ReadinessTest {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> ask(Readiness readiness) throws Exception {
        Router router = Router.router(vertx);
        readiness.mount(router, vertx);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                + Readiness.PATH)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyCheckPassing_is200Up() throws Exception {
        HttpResponse<String> r = ask(new Readiness().add("journal", Readiness.durableWrites(dir))
                .add("pins", () -> { }));
        assertEquals(200, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals("UP", body.getString("status"));
        assertEquals("UP", body.getJsonObject("checks").getJsonObject("journal").getString("status"));
        assertEquals("UP", body.getJsonObject("checks").getJsonObject("pins").getString("status"));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count(), "the durable-write probe leaves nothing behind");
        }
    }

    @Test
    void aFailingCheck_is503NamingItAndWhy() throws Exception {
        Path gone = dir.resolve("volume-that-went-away");
        HttpResponse<String> r = ask(new Readiness().add("token", () -> { })
                .add("journal", Readiness.durableWrites(gone))
                .add("cluster", () -> {
                    throw new IllegalStateException("the cluster member is not running");
                }));
        assertEquals(503, r.statusCode(), r.body());
        JsonObject body = new JsonObject(r.body());
        assertEquals("DOWN", body.getString("status"));
        JsonObject checks = body.getJsonObject("checks");
        assertEquals("UP", checks.getJsonObject("token").getString("status"));
        assertEquals("DOWN", checks.getJsonObject("journal").getString("status"));
        assertTrue(checks.getJsonObject("journal").getString("reason").contains("NoSuchFile"), r.body());
        assertEquals("DOWN", checks.getJsonObject("cluster").getString("status"));
        assertTrue(checks.getJsonObject("cluster").getString("reason").contains("not running"), r.body());
        assertFalse(Files.exists(gone), "a failed probe creates nothing");
    }
}
