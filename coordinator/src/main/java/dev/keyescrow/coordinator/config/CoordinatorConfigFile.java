package dev.keyescrow.coordinator.config;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.server.config.ClusterForm;
import dev.keyescrow.server.config.ConfigFileException;
import dev.keyescrow.server.config.ConfigJson;
import dev.keyescrow.server.config.Settings;
import dev.keyescrow.server.config.TlsForm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The coordinator's configuration file as written and read: one field per setting, in the
 * file's own terms (paths relative to the file, keys in base64, optional settings null). The
 * constructor refuses what the file alone makes invalid; {@link CoordinatorConfig#load}
 * resolves it against the file's directory. The format is described on {@link CoordinatorConfig}.
 */
public record CoordinatorConfigFile(String id, Boolean dev, String stateDirectory, Http http, ClusterForm cluster,
                                    List<Operator> operators, List<Node> nodes, TokenForm token,
                                    Integer ceremonyTimeoutSeconds) {
    public CoordinatorConfigFile {
        Settings.require(id, "id");
        if (!Identifiers.isValid(id)) {
            throw new IllegalArgumentException("id must match [a-z0-9][a-z0-9-]{0,63}");
        }
        Settings.requireObject(http, "http");
        TlsForm.requireUnlessDev(http.tls(), dev);
        Settings.requireObject(cluster, "cluster");
        operators = List.copyOf(Settings.requireObject(operators, "operators"));
        nodes = List.copyOf(Settings.requireObject(nodes, "nodes"));
        Settings.requireObject(token, "token");
        Settings.require(stateDirectory, "stateDirectory");
        if (ceremonyTimeoutSeconds != null && (ceremonyTimeoutSeconds < 1 || ceremonyTimeoutSeconds > 3600)) {
            throw new IllegalArgumentException("ceremonyTimeoutSeconds must be in [1, 3600]");
        }
    }

    /** A development coordinator (no TLS) with one operator and no nodes yet; optional settings left out. */
    public static CoordinatorConfigFile development(String id, Http http, ClusterForm cluster, Operator operator,
                                                    TokenForm token) {
        return new CoordinatorConfigFile(id, true, "state", http, cluster, List.of(operator), List.of(), token, null);
    }

    /** The {@code http} object: where the API listens, its optional body limit, its TLS files. */
    public record Http(String host, Integer port, Integer bodyLimitBytes, TlsForm tls) {
        public Http {
            Settings.require(host, "http.host");
            Settings.requirePort(port, "http.port");
            if (bodyLimitBytes != null && (bodyLimitBytes < 1024 || bodyLimitBytes > 16 * 1024 * 1024)) {
                throw new IllegalArgumentException("http.bodyLimitBytes must be in [1024, 16777216]");
            }
        }

        /** The API on {@code host}:{@code port} without TLS (development) and with the default body limit. */
        public static Http plain(String host, int port) {
            return new Http(host, port, null, null);
        }
    }

    /** An operator of the API: its id and the SHA-256 of its bearer token. */
    public record Operator(String id, String tokenSha256) {
        public Operator {
            Settings.require(id, "operators[].id");
            try {
                new Operators.Operator(id, tokenSha256);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("operators: " + e.getMessage(), e);
            }
        }
    }

    /** An enrolled node: its id, API URL and the public keys the operators compared (base64). */
    public record Node(String id, String url, String identityPublicKey, String transportPublicKey) {
        public Node {
            enrolled(id, url, identityPublicKey, transportPublicKey);
        }

        EnrolledNode enrolled() {
            return enrolled(id, url, identityPublicKey, transportPublicKey);
        }

        private static EnrolledNode enrolled(String id, String url, String identity, String transport) {
            Settings.require(id, "nodes[].id");
            try {
                return EnrolledNode.of(id, Settings.require(url, "nodes[" + id + "].url"),
                        base64(identity, "nodes[" + id + "].identityPublicKey"),
                        base64(transport, "nodes[" + id + "].transportPublicKey"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("nodes: " + e.getMessage(), e);
            }
        }

        private static byte[] base64(String value, String name) {
            try {
                return Base64.getDecoder().decode(Settings.require(value, name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(value == null || value.isBlank() ? e.getMessage()
                        : name + " must be standard base64", e);
            }
        }
    }

    /** This file with {@code node} enrolled after the nodes it has. */
    public CoordinatorConfigFile withNode(Node node) {
        List<Node> more = new ArrayList<>(nodes);
        more.add(node);
        return withNodes(more);
    }

    /** This file with {@code enrolled} as its nodes. */
    public CoordinatorConfigFile withNodes(List<Node> enrolled) {
        return new CoordinatorConfigFile(id, dev, stateDirectory, http, cluster, operators, enrolled, token,
                ceremonyTimeoutSeconds);
    }

    /** Reads {@code file} strictly; the message of a refusal names the setting. */
    public static CoordinatorConfigFile read(Path file) throws ConfigFileException {
        return ConfigJson.read(file, CoordinatorConfigFile.class);
    }

    /** Replaces {@code file} with this configuration, private to the user. */
    public void write(Path file) throws IOException {
        ConfigJson.write(file, this);
    }

    /** The settings this file gives, relative paths resolved against {@code base}, the file's directory. */
    CoordinatorConfig resolve(Path base) {
        boolean development = Boolean.TRUE.equals(dev);
        TlsForm tls = http.tls();
        List<Operators.Operator> operatorList = operators.stream()
                .map(o -> new Operators.Operator(o.id(), o.tokenSha256())).toList();
        List<EnrolledNode> nodeList = nodes.stream().map(Node::enrolled).toList();
        return new CoordinatorConfig(id, development, base.resolve(stateDirectory), http.host(), http.port(),
                tls == null ? null : tls.certificateIn(base), tls == null ? null : tls.privateKeyIn(base),
                http.bodyLimitBytes() == null ? CoordinatorConfig.DEFAULT_BODY_LIMIT : http.bodyLimitBytes(),
                cluster.settings(), operatorList, nodeList, token.settings(base, development),
                ceremonyTimeoutSeconds == null ? CoordinatorConfig.DEFAULT_CEREMONY_TIMEOUT
                        : Duration.ofSeconds(ceremonyTimeoutSeconds));
    }
}
