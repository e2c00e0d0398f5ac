package dev.keyescrow.coordinator.config;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.journal.files.PrivatePath;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.config.ConfigFileException;
import java.nio.file.Path;
import java.time.Duration;
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
 * {@code dev} is true. The file is read strictly ({@link CoordinatorConfigFile}): an unknown setting,
 * a duplicate key or a number with a fraction or exponent where an integer belongs is refused,
 * naming the setting. Node keys are the ones whose fingerprints the operators compared
 * ({@code GET /v1/nodes} shows them back): from here on they are pinned.
 */
public record CoordinatorConfig(String id, boolean dev, Path stateDirectory, String httpHost, int httpPort,
                                Path tlsCertificate, Path tlsPrivateKey, int bodyLimitBytes, ClusterSettings cluster,
                                List<Operators.Operator> operators, List<EnrolledNode> nodes, TokenSettings token,
                                Duration ceremonyTimeout) {
    public static final int DEFAULT_BODY_LIMIT = 64 * 1024;
    public static final Duration DEFAULT_CEREMONY_TIMEOUT = Duration.ofSeconds(60);

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

    /** Reads and checks {@code file} ({@link CoordinatorConfigFile}); the message of a failure names the setting. */
    public static CoordinatorConfig load(Path file) throws CoordinatorConfigException {
        try {
            return CoordinatorConfigFile.read(file).resolve(file.toAbsolutePath().getParent());
        } catch (ConfigFileException | IllegalArgumentException e) {
            throw new CoordinatorConfigException(e.getMessage());
        }
    }
}
