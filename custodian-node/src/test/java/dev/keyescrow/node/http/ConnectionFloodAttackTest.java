package dev.keyescrow.node.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.server.http.ConnectionLimit;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anyone who can reach a node's port opens connections and leaves them idle. Each one holds a
 * file descriptor of the node's process, which also needs descriptors for its journal, its token
 * and its cluster connections; before the fix the node kept every such connection open, with no
 * bound and no idle timeout, so enough of them starve the process (a fuzz run over h2c exhausted
 * the descriptors of a node after 9,950 requests). The node must keep at most
 * {@link ConnectionLimit#DEFAULT_MAX} open, close the rest on arrival, and serve again as soon as
 * the flood stops.
 */
class ConnectionFloodAttackTest {
    private static final int FLOOD = ConnectionLimit.DEFAULT_MAX + 40;

    @TempDir
    Path state;

    private ServedNode served;
    private int port;

    @BeforeEach
    void start() throws Exception {
        served = ServedNode.start(state, new MutableClock(Ceremony.NOW.plusSeconds(1)));
        port = served.port;
    }

    @AfterEach
    void stop() throws Exception {
        served.close();
    }

    /** Whether the server closed {@code socket}: end of stream (or a reset) within the timeout. */
    private static boolean closedByServer(Socket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void idleConnectionsBeyondTheLimitAreClosed_andTheNodeServesAgainWhenTheFloodStops() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                flood.add(new Socket("127.0.0.1", port));
            }
            // a closed connection stays closed: count until the expected number or 15 s have gone by
            java.util.Set<Socket> closed = new java.util.HashSet<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (closed.size() < FLOOD - ConnectionLimit.DEFAULT_MAX && System.nanoTime() < deadline) {
                Thread.sleep(200);
                for (Socket socket : flood) {
                    if (!closed.contains(socket) && closedByServer(socket, 1)) {
                        closed.add(socket);
                    }
                }
            }
            assertEquals(FLOOD - ConnectionLimit.DEFAULT_MAX, closed.size(),
                    "connections the node closed on arrival out of " + FLOOD + " idle ones");
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = null;
        for (int attempt = 0; attempt < 50 && (health == null || health.statusCode() != 200); attempt++) {
            try {
                health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException closedWhileTheServerCatchesUp) {
                Thread.sleep(100);
            }
        }
        assertTrue(health != null && health.statusCode() == 200, "the node serves again after the flood");
    }
}
