package dev.keyescrow.cli.ui;

import dev.keyescrow.node.http.CustodianPages;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;

/** The custodian pages alone on a loopback port (no node behind them), for tests of the page's own code. */
final class PagesServer implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    PagesServer() throws Exception {
        Router router = Router.router(vertx);
        new CustodianPages().mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
