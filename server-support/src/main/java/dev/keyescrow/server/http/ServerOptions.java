package dev.keyescrow.server.http;

import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;

/**
 * The HTTP server options both servers use: HTTP/1.1 only. The cleartext HTTP/2 upgrade is
 * declined because Vert.x's upgrade path has sent a large answer as HTTP/1.1 bytes after switching
 * protocols, which a client reads as a broken HTTP/2 frame; nothing here needs HTTP/2.
 */
public final class ServerOptions {
    private ServerOptions() {
    }

    /** Options for {@code host}:{@code port}, over TLS with the PEM certificate and key when a certificate is given. */
    public static HttpServerOptions of(String host, int port, Path certificate, Path privateKey) {
        HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
                .setHttp2ClearTextEnabled(false);
        if (certificate != null) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(certificate.toString())
                    .setKeyPath(privateKey.toString()));
        }
        return options;
    }
}
