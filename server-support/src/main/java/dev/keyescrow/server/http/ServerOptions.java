package dev.keyescrow.server.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;

/**
 * The HTTP server options both servers use: HTTP/1.1 only. The cleartext HTTP/2 upgrade is
 * declined because Vert.x's upgrade path has sent a large answer as HTTP/1.1 bytes after switching
 * protocols, which a client reads as a broken HTTP/2 frame; nothing here needs HTTP/2. A
 * connection on which nothing moves for {@link #IDLE_TIMEOUT_SECONDS} is closed (twice the
 * longest long poll), so idle connections cannot pile up (see {@link ConnectionLimit}).
 */
public final class ServerOptions {
    /** Longer than the longest long poll ({@link KeyedWaiters#MAX_WAIT}), which moves no bytes while it waits. */
    public static final int IDLE_TIMEOUT_SECONDS = 2 * (int) KeyedWaiters.MAX_WAIT.toSeconds();

    private ServerOptions() {
    }

    /** Options for {@code host}:{@code port}, over TLS with the PEM certificate and key when a certificate is given. */
    public static HttpServerOptions of(String host, int port, Path certificate, Path privateKey) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS).setIdleTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS);
        if (certificate != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.toString())
                    .setKeyPath(privateKey.toString()));
        }
        return options;
    }
}
