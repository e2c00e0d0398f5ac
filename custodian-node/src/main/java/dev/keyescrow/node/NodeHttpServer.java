package dev.keyescrow.node;

import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.http.NodeApi;
import dev.keyescrow.node.http.RefusalLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/** The node's HTTP server: the {@link NodeApi} router on a host and port. */
public final class NodeHttpServer {
    private final Vertx vertx;
    private final NodeApi api;

    public NodeHttpServer(Vertx vertx, NodeService service, RefusalLog refusals) {
        this.vertx = vertx;
        this.api = new NodeApi(vertx, service, refusals);
    }

    /** Starts listening on {@code host} at {@code port} (0 picks a free one). */
    public Future<HttpServer> listen(String host, int port) {
        return vertx.createHttpServer().requestHandler(api.router()).listen(port, host);
    }
}
