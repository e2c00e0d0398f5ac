package dev.keyescrow.coordinator.config;

import dev.keyescrow.journal.files.PrivatePath;
import dev.keyescrow.server.cluster.ClusterSettings;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.hsm.setup.TokenSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * The coordinator's settings. File format (JSON; relative paths are relative to the file):
 *
 * <pre>{
 *   "id": "coordinator", "dev": false, "stateDirectory": "state",
 *   "http": {"host": "10.0.0.4", "port": 8443, "bodyLimitBytes": 65536,
 *            "tls": {"certificate": "coordinator.crt", "privateKey": "coordinator.key"}},
 *   "cluster": {"name": "escrow", "bind": "10.0.1.4", "port": 5701, "members": ["10.0.1.4:5701", "..."]},
 *   "operators": [{"id": "alice", "tokenSha256": "&lt;64 hex&gt;"}],
 *   "nodes": [{"id": "node-1", "url": "https://10.0.0.5:8443",
 *              "identityPublicKey": "&lt;base64 65-byte P-256 point&gt;", "transportPublicKey": "&lt;...&gt;"}],
 *   "token": {"kind": "pkcs11", "library": "/usr/lib/softhsm/libsofthsm2.so", "label": "coordinator",
 *             "pinFile": "pin.txt", "keyWrap": "0x210A"},
 *   "ceremonyTimeoutSeconds": 60
 * }</pre>
 *
 * {@code token.kind} is {@code pkcs11} or, in development mode only, {@code software} with
 * {@code vault} and {@code passphraseFile} or {@code passphraseEnv}. TLS is required unless
 * {@code dev} is true. Node keys are the ones whose fingerprints the operators compared
 * ({@code GET /v1/nodes} shows them back): from here on they are pinned.
 */
public record CoordinatorConfig(String id, boolean dev, Path stateDirectory, String httpHost, int httpPort,
                                Path tlsCertificate, Path tlsPrivateKey, int bodyLimitBytes, ClusterSettings cluster,
                                List<Operators.Operator> operators, List<EnrolledNode> nodes, TokenSettings token,
                                Duration ceremonyTimeout) {
    public static final int DEFAULT_BODY_LIMIT = 64 * 1024;
    public static final Duration DEFAULT_CEREMONY_TIMEOUT = Duration.ofSeconds(60);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    public CoordinatorConfig {
        Identifiers.require(id, "coordinator id");
        Objects.requireNonNull(stateDirectory, "stateDirectory");
        Objects.requireNonNull(httpHost, "httpHost");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(ceremonyTimeout, "ceremonyTimeout");
        operators = List.copyOf(operators);
        nodes = List.copyOf(nodes);
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key");
        }
        if (tlsCertificate == null && !dev) {
            throw new IllegalArgumentException("TLS is required outside development mode");
        }
        if (token instanceof TokenSettings.Software && !dev) {
            throw new IllegalArgumentException("the software token is allowed only in development mode");
        }
        if (bodyLimitBytes < 1024) {
            throw new IllegalArgumentException("bodyLimitBytes must be at least 1024");
        }
    }

    /**
     * What must be private to the user that runs the coordinator — its state directory, TLS private key
     * and token secret files — checked before it opens anything.
     */
    public List<PrivatePath> privatePaths() {
        return PrivatePath.ofMember(stateDirectory, tlsPrivateKey, token.secretFiles());
    }

    record FileForm(String id, Boolean dev, String stateDirectory, Http http, Cluster cluster, List<Operator> operators,
                    List<Node> nodes, TokenForm token, Integer ceremonyTimeoutSeconds) {
    }

    record Http(String host, Integer port, Tls tls, Integer bodyLimitBytes) {
    }

    record Tls(String certificate, String privateKey) {
    }

    record Cluster(String name, String bind, Integer port, List<String> members) {
    }

    record Operator(String id, String tokenSha256) {
    }

    record Node(String id, String url, String identityPublicKey, String transportPublicKey) {
    }


    /** Reads and checks {@code file}; the message of a failure names the setting. */
    public static CoordinatorConfig load(Path file) throws ConfigException {
        FileForm form;
        try {
            form = MAPPER.readValue(Files.readAllBytes(file), FileForm.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(file.getFileName() + ": unknown setting \"" + e.getPropertyName() + "\"");
        } catch (IOException e) {
            throw new ConfigException(file.getFileName() + ": cannot read it as JSON (" + e.getClass().getSimpleName()
                    + ")");
        }
        if (form == null) {
            throw new ConfigException(file.getFileName() + ": the file must hold a JSON object");
        }
        Path base = file.toAbsolutePath().getParent();
        String id = require(form.id(), "id");
        if (!Identifiers.isValid(id)) {
            throw new ConfigException("id must match [a-z0-9][a-z0-9-]{0,63}");
        }
        boolean dev = Boolean.TRUE.equals(form.dev());
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
        int bodyLimit = http.bodyLimitBytes() == null ? DEFAULT_BODY_LIMIT : http.bodyLimitBytes();
        if (bodyLimit < 1024 || bodyLimit > 16 * 1024 * 1024) {
            throw new ConfigException("http.bodyLimitBytes must be in [1024, 16777216]");
        }
        Cluster cluster = requireObject(form.cluster(), "cluster");
        ClusterSettings clusterSettings;
        try {
            clusterSettings = new ClusterSettings(require(cluster.name(), "cluster.name"),
                    require(cluster.bind(), "cluster.bind"), requirePort(cluster.port(), "cluster.port"),
                    cluster.members() == null ? List.of() : cluster.members());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cluster: " + e.getMessage());
        }
        List<Operators.Operator> operators = new ArrayList<>();
        for (Operator o : requireObject(form.operators(), "operators")) {
            try {
                operators.add(new Operators.Operator(require(o.id(), "operators[].id"), o.tokenSha256()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("operators: " + e.getMessage());
            }
        }
        List<EnrolledNode> nodes = new ArrayList<>();
        for (Node n : requireObject(form.nodes(), "nodes")) {
            String nodeId = require(n.id(), "nodes[].id");
            try {
                nodes.add(EnrolledNode.of(nodeId, require(n.url(), "nodes[" + nodeId + "].url"),
                        base64(n.identityPublicKey(), "nodes[" + nodeId + "].identityPublicKey"),
                        base64(n.transportPublicKey(), "nodes[" + nodeId + "].transportPublicKey")));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("nodes: " + e.getMessage());
            }
        }
        int timeout = form.ceremonyTimeoutSeconds() == null ? (int) DEFAULT_CEREMONY_TIMEOUT.toSeconds()
                : form.ceremonyTimeoutSeconds();
        if (timeout < 1 || timeout > 3600) {
            throw new ConfigException("ceremonyTimeoutSeconds must be in [1, 3600]");
        }
        try {
            return new CoordinatorConfig(id, dev, base.resolve(require(form.stateDirectory(), "stateDirectory")),
                    require(http.host(), "http.host"), requirePort(http.port(), "http.port"), certificate, privateKey,
                    bodyLimit, clusterSettings, operators, nodes,
                    token(requireObject(form.token(), "token"), base, dev), Duration.ofSeconds(timeout));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static TokenSettings token(TokenForm form, Path base, boolean dev) throws ConfigException {
        try {
            return form.settings(base, dev);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static byte[] base64(String value, String name) throws ConfigException {
        try {
            return Base64.getDecoder().decode(require(value, name));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + " must be standard base64");
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
