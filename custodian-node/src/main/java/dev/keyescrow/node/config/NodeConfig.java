package dev.keyescrow.node.config;

import dev.keyescrow.journal.files.PrivatePath;
import dev.keyescrow.server.cluster.ClusterSettings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.node.approval.RequestTimeLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * A node's settings. File format (JSON; relative paths are relative to the file):
 *
 * <pre>{
 *   "nodeId": "node-1", "dev": false, "stateDirectory": "state",
 *   "coordinatorPublicKey": "&lt;base64 65-byte P-256 point&gt;",
 *   "http": {"host": "10.0.0.5", "port": 8443, "tls": {"certificate": "node.crt", "privateKey": "node.key"}},
 *   "cluster": {"name": "escrow", "bind": "10.0.1.5", "port": 5701, "members": ["10.0.1.5:5701", "..."]},
 *   "token": {"kind": "pkcs11", "library": "/usr/lib/softhsm/libsofthsm2.so", "label": "node-1",
 *             "pinFile": "pin.txt", "keyWrap": "0x210A"},
 *   "requests": {"maxClockAheadSeconds": 60, "maxLifetimeSeconds": 86400}
 * }</pre>
 *
 * {@code requests} is optional: a request whose {@code createdAt} is more than
 * {@code maxClockAheadSeconds} ahead of the node's clock (default 60, at most 3600), or that
 * lives longer than {@code maxLifetimeSeconds} (default and at most 86400), is refused.
 *
 * {@code token.kind} is {@code pkcs11} or, in development mode only, {@code software} with
 * {@code vault} and {@code passphraseFile} or {@code passphraseEnv}. TLS is required unless
 * {@code dev} is true.
 */
public record NodeConfig(String nodeId, boolean dev, Path stateDirectory, byte[] coordinatorPublicKey, String httpHost,
                         int httpPort, Path tlsCertificate, Path tlsPrivateKey, ClusterSettings cluster,
                         TokenSettings token, RequestTimeLimits requestTimes) {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

    /**
     * What must be private to the user that runs the node — its state directory, TLS private key
     * and token secret files — checked before it opens anything.
     */
    public List<PrivatePath> privatePaths() {
        return PrivatePath.ofMember(stateDirectory, tlsPrivateKey, token.secretFiles());
    }

    record FileForm(String nodeId, Boolean dev, String stateDirectory, String coordinatorPublicKey, Http http,
                    Cluster cluster, TokenForm token, Requests requests) {
    }

    record Requests(Long maxClockAheadSeconds, Long maxLifetimeSeconds) {
    }

    record Http(String host, Integer port, Tls tls) {
    }

    record Tls(String certificate, String privateKey) {
    }

    record Cluster(String name, String bind, Integer port, List<String> members) {
    }


    public static NodeConfig load(Path file) throws ConfigException {
        FileForm form;
        try {
            form = MAPPER.readValue(Files.readAllBytes(file), FileForm.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file.getFileName() + ": unknown setting \"" + e.getPropertyName() + "\"");
        } catch (IOException e) {
            throw new ConfigException(file.getFileName() + ": cannot read it as JSON (" + e.getClass().getSimpleName()
                    + ")");
        }
        Path base = file.toAbsolutePath().getParent();
        String nodeId = require(form.nodeId(), "nodeId");
        if (!Identifiers.isValid(nodeId)) {
            throw new ConfigException("nodeId must match [a-z0-9][a-z0-9-]{0,63}");
        }
        boolean dev = Boolean.TRUE.equals(form.dev());
        byte[] coordinatorKey;
        try {
            coordinatorKey = Base64.getDecoder().decode(require(form.coordinatorPublicKey(), "coordinatorPublicKey"));
            EcdsaP256.fingerprint(coordinatorKey);
        } catch (IllegalArgumentException | dev.keyescrow.core.error.SignatureException e) {
            throw new ConfigException("coordinatorPublicKey must be base64 of a 65-byte uncompressed P-256 point");
        }
        Http http = requireObject(form.http(), "http");
        Path certificate = null;
        Path privateKey = null;
        if (http.tls() != null) {
            certificate = base.resolve(require(http.tls().certificate(), "http.tls.certificate"));
            privateKey = base.resolve(require(http.tls().privateKey(), "http.tls.privateKey"));
        } else if (!dev) {
            throw new ConfigException("http.tls is required outside development mode (set certificate and"
                    + " privateKey, PEM)");
        }
        Cluster cluster = requireObject(form.cluster(), "cluster");
        ClusterSettings clusterSettings = new ClusterSettings(require(cluster.name(), "cluster.name"),
                require(cluster.bind(), "cluster.bind"), requirePort(cluster.port(), "cluster.port"),
                cluster.members() == null ? List.of() : cluster.members());
        return new NodeConfig(nodeId, dev, base.resolve(require(form.stateDirectory(), "stateDirectory")),
                coordinatorKey, require(http.host(), "http.host"), requirePort(http.port(), "http.port"), certificate,
                privateKey, clusterSettings, token(requireObject(form.token(), "token"), base, dev),
                requestTimes(form.requests()));
    }

    private static RequestTimeLimits requestTimes(Requests form) throws ConfigException {
        if (form == null) {
            return RequestTimeLimits.DEFAULT;
        }
        Duration ahead = form.maxClockAheadSeconds() == null ? RequestTimeLimits.DEFAULT_MAX_AHEAD
                : Duration.ofSeconds(form.maxClockAheadSeconds());
        Duration lifetime = form.maxLifetimeSeconds() == null ? RequestTimeLimits.CAP
                : Duration.ofSeconds(form.maxLifetimeSeconds());
        try {
            return new RequestTimeLimits(ahead, lifetime);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("requests: " + e.getMessage());
        }
    }

    private static TokenSettings token(TokenForm form, Path base, boolean dev) throws ConfigException {
        try {
            return form.settings(base, dev);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String require(String value, String name) throws ConfigException {
        if (value == null || value.isBlank()) {
            throw new ConfigException("missing setting: " + name);
        }
        return value;
    }

    private static <T> T requireObject(T value, String name) throws ConfigException {
        if (value == null) {
            throw new ConfigException("missing setting: " + name);
        }
        return value;
    }

    private static int requirePort(Integer port, String name) throws ConfigException {
        if (port == null || port < 0 || port > 65535) {
            throw new ConfigException(name + " must be a port number (0..65535)");
        }
        return port;
    }
}
