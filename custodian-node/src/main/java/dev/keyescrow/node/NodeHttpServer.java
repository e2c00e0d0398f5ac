package dev.keyescrow.node;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The node's HTTP endpoint. So far only {@code GET /v1/health}; anything else is a
 * 404 RFC 9457 problem document.
 */
public final class NodeHttpServer {
    private final Vertx vertx;
    private final String nodeId;

    public NodeHttpServer(Vertx vertx, String nodeId) {
        this.vertx = vertx;
        this.nodeId = nodeId;
    }

    /** Starts listening on loopback at {@code port} (0 picks a free one). */
    public Future<HttpServer> listen(int port) {
        return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
    }

    private void handle(HttpServerRequest request) {
        if ("GET".equals(request.method().name()) && "/v1/health".equals(request.path())) {
            request.response().putHeader("content-type", "application/json")
                    .end(new JsonObject().put("status", "UP").put("role", "node").put("nodeId", nodeId).encode());
            return;
        }
        request.response().setStatusCode(404).putHeader("content-type", "application/problem+json")
                .end(new JsonObject().put("type", "about:blank").put("title", "Not Found").put("status", 404)
                        .put("detail", "no such endpoint: " + request.method().name() + " " + request.path())
                        .encode());
    }
}
