package dev.keyescrow.server.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bound on the HTTP connections a server keeps open at once. Every open connection holds a
 * file descriptor, and the process needs descriptors for what keeps it safe — its journal, its
 * token, its cluster connections — so a client that opens connections and leaves them idle must
 * not be able to take them all: a connection beyond the bound is closed as soon as it is
 * accepted (and idle ones are closed by {@link ServerOptions}'s idle timeout). Legitimate
 * clients (custodians, operators, the coordinator, browsers) need a few each.
 */
public final class ConnectionLimit implements Handler<HttpConnection> {
    /**
     * Far above what the clients of one member use at once (each command-line call, browser or
     * load-generator worker keeps one or a few), and half a default descriptor limit of 1,024,
     * so the process keeps room for its own files and cluster connections.
     */
    public static final int DEFAULT_MAX = 512;

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    public ConnectionLimit(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("a connection limit must allow at least one connection");
        }
        this.max = max;
    }

    /** {@code server} with a limit of {@code max} open connections installed. */
    public static HttpServer install(HttpServer server, int max) {
        server.connectionHandler(new ConnectionLimit(max));
        return server;
    }

    @Override
    public void handle(HttpConnection connection) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            refused.increment();
            connection.close();
            return;
        }
        connection.closeHandler(v -> open.decrementAndGet());
    }

    /** Connections open now. */
    public int open() {
        return open.get();
    }

    /** Connections closed on arrival because the limit was reached. */
    public long refused() {
        return refused.sum();
    }
}
