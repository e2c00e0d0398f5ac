package dev.keyescrow.node.config;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.node.approval.RequestTimeLimits;
import dev.keyescrow.server.config.ClusterForm;
import dev.keyescrow.server.config.ConfigFileException;
import dev.keyescrow.server.config.ConfigJson;
import dev.keyescrow.server.config.Settings;
import dev.keyescrow.server.config.TlsForm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * A node's configuration file as written and read: one field per setting, in the file's own
 * terms (paths relative to the file, keys in base64, optional settings null). The constructor
 * refuses what the file alone makes invalid; {@link NodeConfig#load} resolves it against the
 * file's directory. The format is described on {@link NodeConfig}.
 */
public record NodeConfigFile(String nodeId, Boolean dev, String stateDirectory, String coordinatorPublicKey, Http http,
                             ClusterForm cluster, TokenForm token, Requests requests) {
    public NodeConfigFile {
        Settings.require(nodeId, "nodeId");
        if (!Identifiers.isValid(nodeId)) {
            throw new IllegalArgumentException("nodeId must match [a-z0-9][a-z0-9-]{0,63}");
        }
        coordinatorKey(coordinatorPublicKey);
        Settings.requireObject(http, "http");
        TlsForm.requireUnlessDev(http.tls(), dev);
        Settings.requireObject(cluster, "cluster");
        Settings.require(stateDirectory, "stateDirectory");
        Settings.requireObject(token, "token");
    }

    /** A development node (no TLS) with the given parts; optional settings left out. */
    public static NodeConfigFile development(String nodeId, String coordinatorPublicKey, Http http, ClusterForm cluster,
                                             TokenForm token) {
        return new NodeConfigFile(nodeId, true, "state", coordinatorPublicKey, http, cluster, token, null);
    }

    /** The {@code http} object: where the node's API listens, and its TLS files (absent only in development). */
    public record Http(String host, Integer port, TlsForm tls) {
        public Http {
            Settings.require(host, "http.host");
            Settings.requirePort(port, "http.port");
        }
    }

    /** The optional {@code requests} object: the node's bounds on request times (each optional too). */
    public record Requests(Long maxClockAheadSeconds, Long maxLifetimeSeconds) {
        public Requests {
            limits(maxClockAheadSeconds, maxLifetimeSeconds);
        }

        RequestTimeLimits limits() {
            return limits(maxClockAheadSeconds, maxLifetimeSeconds);
        }

        private static RequestTimeLimits limits(Long ahead, Long lifetime) {
            try {
                return new RequestTimeLimits(ahead == null ? RequestTimeLimits.DEFAULT_MAX_AHEAD
                        : Duration.ofSeconds(ahead), lifetime == null ? RequestTimeLimits.CAP
                        : Duration.ofSeconds(lifetime));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("requests: " + e.getMessage(), e);
            }
        }
    }

    /** Reads {@code file} strictly; the message of a refusal names the setting. */
    public static NodeConfigFile read(Path file) throws ConfigFileException {
        return ConfigJson.read(file, NodeConfigFile.class);
    }

    /** Replaces {@code file} with this configuration, private to the user. */
    public void write(Path file) throws IOException {
        ConfigJson.write(file, this);
    }

    /** The settings this file gives, relative paths resolved against {@code base}, the file's directory. */
    NodeConfig resolve(Path base) {
        boolean development = Boolean.TRUE.equals(dev);
        TlsForm tls = http.tls();
        return new NodeConfig(nodeId, development, base.resolve(stateDirectory), coordinatorKey(coordinatorPublicKey),
                http.host(), http.port(), tls == null ? null : tls.certificateIn(base),
                tls == null ? null : tls.privateKeyIn(base), cluster.settings(), token.settings(base, development),
                requests == null ? RequestTimeLimits.DEFAULT : requests.limits());
    }

    private static byte[] coordinatorKey(String base64) {
        Settings.require(base64, "coordinatorPublicKey");
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            EcdsaP256.fingerprint(key);
            return key;
        } catch (IllegalArgumentException | SignatureException e) {
            throw new IllegalArgumentException("coordinatorPublicKey must be base64 of a 65-byte uncompressed P-256"
                    + " point");
        }
    }
}
