package dev.keyescrow.node.config;

import dev.keyescrow.hsm.setup.TokenSettings;
import dev.keyescrow.journal.files.PrivatePath;
import dev.keyescrow.node.approval.RequestTimeLimits;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.config.ConfigFileException;
import java.nio.file.Path;
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
 * {@code dev} is true. The file is read strictly and written through {@link NodeConfigFile}.
 */
public record NodeConfig(String nodeId, boolean dev, Path stateDirectory, byte[] coordinatorPublicKey, String httpHost,
                         int httpPort, Path tlsCertificate, Path tlsPrivateKey, ClusterSettings cluster,
                         TokenSettings token, RequestTimeLimits requestTimes) {
    /**
     * What must be private to the user that runs the node — its state directory, TLS private key
     * and token secret files — checked before it opens anything.
     */
    public List<PrivatePath> privatePaths() {
        return PrivatePath.ofMember(stateDirectory, tlsPrivateKey, token.secretFiles());
    }

    /** Reads and checks {@code file} ({@link NodeConfigFile}); the message of a failure names the setting. */
    public static NodeConfig load(Path file) throws NodeConfigException {
        try {
            return NodeConfigFile.read(file).resolve(file.toAbsolutePath().getParent());
        } catch (ConfigFileException | IllegalArgumentException e) {
            throw new NodeConfigException(e.getMessage());
        }
    }
}
