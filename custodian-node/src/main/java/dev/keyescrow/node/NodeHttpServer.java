package dev.keyescrow.node;

import dev.keyescrow.server.http.RefusalLog;
import dev.keyescrow.server.http.ConnectionLimit;
import dev.keyescrow.server.http.ServerOptions;

import dev.keyescrow.core.request.Approval;
import dev.keyescrow.hsm.TokenDescription;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.http.NodeApi;
import dev.keyescrow.node.metrics.NodeMetrics;
import io.vertx.core.Future;
import dev.keyescrow.server.http.OpenApiDocument;
import dev.keyescrow.server.http.Readiness;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The node's HTTP server: the {@link NodeApi} router on a host and port, with TLS when configured. */
public final class NodeHttpServer {
    /** The API's OpenAPI 3.1 document, served at {@code GET /v1/openapi.json}. */
    public static final String OPENAPI = "/openapi/node.json";

    private final Vertx vertx;
    private final NodeApi api;
    private final Readiness readiness;

    public NodeHttpServer(Vertx vertx, NodeService service, RefusalLog refusals, Supplier<TokenDescription> token,
                          Consumer<Approval> onAccepted) {
        this(vertx, service, refusals, token, onAccepted, new NodeMetrics());
    }

    public NodeHttpServer(Vertx vertx, NodeService service, RefusalLog refusals, Supplier<TokenDescription> token,
                          Consumer<Approval> onAccepted, NodeMetrics metrics) {
        this(vertx, service, refusals, token, onAccepted, metrics, new Readiness());
    }

    /** With {@code readiness} answering {@code GET /v1/health/ready}. */
    public NodeHttpServer(Vertx vertx, NodeService service, RefusalLog refusals, Supplier<TokenDescription> token,
                          Consumer<Approval> onAccepted, NodeMetrics metrics, Readiness readiness) {
        this.vertx = vertx;
        this.api = new NodeApi(vertx, service, refusals, token, onAccepted, metrics);
        this.readiness = readiness;
        metrics.readiness(readiness);
    }

    /** Starts listening on {@code host} at {@code port} (0 picks a free one), over TLS if a certificate is given. */
    public Future<HttpServer> listen(String host, int port, Path certificate, Path privateKey) {
        HttpServerOptions options = ServerOptions.of(host, port, certificate, privateKey)
                .setMaxFormAttributeSize(NodeApi.BODY_LIMIT);
        return ConnectionLimit.install(vertx.createHttpServer(options), ConnectionLimit.DEFAULT_MAX)
                .requestHandler(router()).listen();
    }

    /** Every route the node serves: its routes are what the OpenAPI document must describe. */
    public Router router() {
        Router router = api.router();
        readiness.mount(router, vertx);
        OpenApiDocument.fromResource(NodeHttpServer.class, OPENAPI).mount(router);
        return router;
    }
}
