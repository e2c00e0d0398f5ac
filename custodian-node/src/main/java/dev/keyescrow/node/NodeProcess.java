package dev.keyescrow.node;

import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.server.cluster.HazelcastMembers;
import dev.keyescrow.server.http.Readiness;

import dev.keyescrow.server.http.RefusalLog;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.journal.WitnessLog;
import dev.keyescrow.journal.blob.BlobStore;
import dev.keyescrow.journal.files.ExposedFileException;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.cluster.NodeClusterBridge;
import dev.keyescrow.node.config.NodeConfig;
import dev.keyescrow.node.metrics.NodeMetrics;
import dev.keyescrow.node.vault.NodeVault;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A running custodian node: its token, journal, blob store, cluster membership and HTTP API,
 * started in that order (each needs the ones before) and closed in reverse.
 */
public final class NodeProcess implements AutoCloseable {
    /** Refusals are kept to this many bytes (plus one rotated file). */
    static final long REFUSAL_LOG_BYTES = 1024 * 1024;

    private final Token token;
    private final NodeService service;
    private final BlobStore blobs;
    private final HazelcastInstance member;
    private final NodeClusterBridge bridge;
    private final Vertx vertx;
    private final HttpServer server;
    private final WitnessLog witnessLog;

    private NodeProcess(Token token, NodeService service, BlobStore blobs, HazelcastInstance member,
                        NodeClusterBridge bridge, Vertx vertx, HttpServer server, WitnessLog witnessLog) {
        this.witnessLog = witnessLog;
        this.token = token;
        this.service = service;
        this.blobs = blobs;
        this.member = member;
        this.bridge = bridge;
        this.vertx = vertx;
        this.server = server;
    }

    /**
     * Starts a node; any failure stops what was started and is rethrown.
     *
     * @throws ExposedFileException the state directory, TLS key or a token secret file can be
     *                              opened by others: nothing was opened or created
     */
    public static NodeProcess start(NodeConfig config, Clock clock) throws Exception {
        PrivateFiles.requirePrivate(config.privatePaths());
        PrivateFiles.createDirectories(config.stateDirectory());
        SecureRandom random = SecureRandom.getInstance("DRBG");
        // never provision here: a wiped token must not come back with keys nobody pinned
        Token token = Tokens.open(config.token(), config.nodeId(), random);
        NodeService service = null;
        BlobStore blobs = null;
        HazelcastInstance member = null;
        NodeClusterBridge bridge = null;
        Vertx vertx = null;
        WitnessLog witnessLog = null;
        try {
            service = NodeService.open(config.nodeId(), config.coordinatorPublicKey(), config.stateDirectory(),
                    token.identity(), clock, config.requestTimes());
            blobs = BlobStore.open(config.stateDirectory().resolve("blobs"));
            NodeMetrics metrics = new NodeMetrics();
            NodeVault vault = new NodeVault(service, token, blobs, config.coordinatorPublicKey(), metrics);
            vault.recover();
            RefusalLog refusals = new RefusalLog(config.stateDirectory().resolve("refusals.log"), REFUSAL_LOG_BYTES,
                    clock);
            member = HazelcastMembers.start(config.cluster());
            witnessLog = WitnessLog.open(config.stateDirectory().resolve("witness.log"));
            NodeClusterBridge cluster = new NodeClusterBridge(member, service, vault,
                    message -> refusals.record("CLUSTER", "-", 0, message),
                    new HeadWitness(witnessLog), config.coordinatorPublicKey());
            metrics.clusterCounters(cluster::refusedCount, cluster::droppedCount);
            bridge = cluster;
            vertx = Vertx.vertx();
            String nodeId = config.nodeId();
            HttpServer server = new NodeHttpServer(vertx, service, refusals, token::describe,
                    approval -> cluster.publish(new AnswerMessage(nodeId, approval)), metrics,
                    readiness(token, config, member, service))
                    .listen(config.httpHost(), config.httpPort(), config.tlsCertificate(), config.tlsPrivateKey())
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            cluster.start();
            return new NodeProcess(token, service, blobs, member, cluster, vertx, server, witnessLog);
        } catch (Exception e) {
            closeQuietly(bridge, vertx, member, blobs, service, token);
            if (witnessLog != null) {
                witnessLog.close();
            }
            throw e;
        }
    }

    /** Ready when the member checks pass and the coordinator key is pinned. */
    private static Readiness readiness(Token token, NodeConfig config, HazelcastInstance member, NodeService service) {
        Readiness.Check pins = () -> {
            if (service.coordinatorPublicKey().length != 65) {
                throw new IllegalStateException("no coordinator key is pinned");
            }
        };
        return Readiness.ofMember(token.identity(), token.describe().label(), config.stateDirectory(), member, pins);
    }

    public int httpPort() {
        return server.actualPort();
    }

    public NodeService service() {
        return service;
    }

    @Override
    public void close() {
        closeQuietly(bridge, vertx, member, blobs, service, token);
        try {
            witnessLog.close();
        } catch (java.io.IOException e) {
            // shutting down
        }
    }

    private static void closeQuietly(NodeClusterBridge bridge, Vertx vertx, HazelcastInstance member, BlobStore blobs,
                                     NodeService service, Token token) {
        try {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            if (bridge != null) {
                bridge.close();
            }
        } catch (Exception e) {
            // shutting down: keep closing the rest
        }
        if (member != null) {
            member.shutdown();
        }
        try {
            if (blobs != null) {
                blobs.close();
            }
            if (service != null) {
                service.close();
            }
        } catch (Exception e) {
            // shutting down: keep closing the rest
        }
        token.close();
    }
}
