package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real Vert.x server built from {@link ServerOptions} answers an offer of cleartext HTTP/2 in HTTP/1.1. */
class ServerOptionsTest {
    @Test
    void idleConnectionsAreClosed_butNeverALongPollThatIsStillWaiting() {
        io.vertx.core.http.HttpServerOptions options = ServerOptions.of("127.0.0.1", 0, null, null);
        long idleSeconds = options.getIdleTimeoutUnit().toSeconds(options.getIdleTimeout());
        org.junit.jupiter.api.Assertions.assertTrue(idleSeconds > KeyedWaiters.MAX_WAIT.toSeconds(),
                "idle timeout " + idleSeconds + " s would cut a long poll of " + KeyedWaiters.MAX_WAIT);
        org.junit.jupiter.api.Assertions.assertTrue(idleSeconds <= 300, "idle connections are closed within minutes");
    }

    @Test
    void anOfferToUpgradeToCleartextHttp2IsDeclined() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(ServerOptions.of("127.0.0.1", 0, null, null))
                    .requestHandler(request -> request.response().end("x".repeat(200_000)))
                    .listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (Socket socket = new Socket("127.0.0.1", server.actualPort())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        + "HTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String status = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                assertEquals("HTTP/1.1 200 OK", status);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
