package dev.keyescrow.server.config;

import java.nio.file.Path;

/**
 * The {@code http.tls} object of a server's configuration: its certificate chain and private
 * key (PEM), paths relative to the configuration file.
 */
public record TlsForm(String certificate, String privateKey) {
    public TlsForm {
        Settings.require(certificate, "http.tls.certificate");
        Settings.require(privateKey, "http.tls.privateKey");
    }

    public Path certificateIn(Path base) {
        return base.resolve(certificate);
    }

    public Path privateKeyIn(Path base) {
        return base.resolve(privateKey);
    }

    /** The refusal of a file without TLS outside development mode (both servers say the same). */
    public static void requireUnlessDev(TlsForm tls, Boolean dev) {
        if (tls == null && !Boolean.TRUE.equals(dev)) {
            throw new IllegalArgumentException("http.tls is required outside development mode (set certificate and"
                    + " privateKey, PEM)");
        }
    }
}
