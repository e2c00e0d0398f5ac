package dev.keyescrow.coordinator;

import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.server.cluster.HazelcastMembers;

import dev.keyescrow.server.http.RefusalLog;
import dev.keyescrow.server.http.ConnectionLimit;
import dev.keyescrow.server.http.ServerOptions;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import dev.keyescrow.coordinator.cluster.HeadExchange;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.journal.files.ExposedFileException;
import dev.keyescrow.journal.WitnessLog;
import dev.keyescrow.coordinator.enrolment.Operators;
import dev.keyescrow.coordinator.http.CoordinatorApi;
import dev.keyescrow.coordinator.metrics.CoordinatorMetrics;
import dev.keyescrow.core.error.BugException;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.setup.Tokens;
import dev.keyescrow.server.http.OpenApiDocument;
import dev.keyescrow.server.http.Readiness;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The running coordinator process: its Hazelcast member, its journal and token, and its HTTP
 * API over Vert.x (TLS unless development mode). This is what {@code ./escrow coordinator
 * start --config FILE} runs:
 *
 * <pre>
 *   CoordinatorConfig config = CoordinatorConfig.load(file);
 *   try (CoordinatorServer server = CoordinatorServer.start(config, Clock.systemUTC())) {
 *       ... server.actualPort() ... wait for a signal ...
 *   }
 * </pre>
 *
 * {@link #start(CoordinatorConfig, Clock)} opens (or provisions, at enrolment) the token the
 * configuration names; {@link #start(CoordinatorConfig, Token, Clock)} takes an open one
 * (tests, or a CLI that opened it already) and does not close it.
 */
public final class CoordinatorServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.keyescrow.coordinator");
    private static final long REFUSAL_LOG_BYTES = 1024 * 1024;
    private static final long SWEEP_MILLIS = 1000;
    /** How often finished requests' cluster messages are deleted, and how long after the end. */
    private static final long PRUNE_MILLIS = 60_000;
    private static final Duration MESSAGE_GRACE = Duration.ofMinutes(10);
    /** The API's OpenAPI 3.1 document, served at {@code GET /v1/openapi.json}. */
    public static final String OPENAPI = "/openapi/coordinator.json";

    private final Vertx vertx;
    private final HttpServer http;
    private final HazelcastInstance hazelcast;
    private final Coordinator coordinator;
    private final Token token;
    private final boolean ownsToken;
    private final boolean tls;

    private CoordinatorServer(Vertx vertx, HttpServer http, HazelcastInstance hazelcast, Coordinator coordinator,
            Token token, boolean ownsToken, boolean tls) {
        this.vertx = vertx;
        this.http = http;
        this.hazelcast = hazelcast;
        this.coordinator = coordinator;
        this.token = token;
        this.ownsToken = ownsToken;
        this.tls = tls;
    }

    /**
     * Opens the configured token, then starts as below; closes the token on stop. The token is
     * never provisioned here (only at enrolment, by {@code escrow coordinator fingerprint}): a
     * coordinator whose token lost its key refuses to start instead of coming up with a key no
     * node pins.
     */
    public static CoordinatorServer start(CoordinatorConfig config, Clock clock) throws Exception {
        PrivateFiles.requirePrivate(config.privatePaths());
        Token token = Tokens.open(config.token(), config.id(), drbg());
        try {
            return start(config, token, clock, true);
        } catch (Exception | Error e) {
            token.close();
            throw e;
        }
    }

    /**
     * Starts the coordinator with an open {@code token} and returns once the API listens.
     *
     * @throws ExposedFileException the state directory, TLS key or a token secret file can be
     *                              opened by others: nothing was opened or created
     * @throws Exception the journal is corrupt, the cluster or the HTTP port is unavailable,
     *                   the TLS files are unreadable: the message says which; nothing is left running
     */
    public static CoordinatorServer start(CoordinatorConfig config, Token token, Clock clock) throws Exception {
        return start(config, token, clock, false);
    }

    private static CoordinatorServer start(CoordinatorConfig config, Token token, Clock clock, boolean ownsToken)
            throws Exception {
        PrivateFiles.requirePrivate(config.privatePaths());
        SecureRandom random = drbg();
        PrivateFiles.createDirectories(config.stateDirectory());
        HazelcastInstance hazelcast = HazelcastMembers.start(config.cluster());
        CoordinatorMetrics metrics = new CoordinatorMetrics();
        Coordinator coordinator = null;
        Vertx vertx = null;
        try {
            coordinator = Coordinator.open(config.id(), new NodeRegistry(config.nodes()), config.stateDirectory(),
                    token, hazelcast, clock, random, config.ceremonyTimeout(),
                    problem -> {
                        metrics.problem();
                        LOG.log(Level.WARNING, problem);
                    });
            vertx = Vertx.vertx();
            RefusalLog refusals = new RefusalLog(config.stateDirectory().resolve("refusals.log"), REFUSAL_LOG_BYTES,
                    clock);
            CoordinatorApi api = new CoordinatorApi(vertx, coordinator, new Operators(config.operators()), refusals,
                    config.bodyLimitBytes(), metrics);
            HttpServerOptions options = ServerOptions.of(config.httpHost(), config.httpPort(),
                    config.tlsCertificate(), config.tlsPrivateKey());
            boolean tls = config.tlsCertificate() != null;
            Router router = api.router();
            Readiness readiness = readiness(token, config, hazelcast);
            readiness.mount(router, vertx);
            metrics.readiness(readiness);
            OpenApiDocument.fromResource(CoordinatorServer.class, OPENAPI).mount(router);
            HttpServer http = ConnectionLimit.install(vertx.createHttpServer(options), ConnectionLimit.DEFAULT_MAX)
                    .requestHandler(router).listen()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            Coordinator running = coordinator;
            vertx.setPeriodic(SWEEP_MILLIS, id -> running.sweepInBackground());
            vertx.setPeriodic(PRUNE_MILLIS, id -> running.pruneInBackground(MESSAGE_GRACE));
            WitnessLog witnessLog = WitnessLog.open(config.stateDirectory().resolve("witness.log"));
            HeadExchange heads = new HeadExchange(hazelcast, new NodeRegistry(config.nodes()),
                    new HeadWitness(witnessLog), () -> running.service().signedHead(config.id()),
                    problem -> LOG.log(Level.WARNING, problem));
            heads.start();
            CoordinatorServer server = new CoordinatorServer(vertx, http, hazelcast, coordinator, token, ownsToken, tls);
            server.heads = heads;
            server.witnessLog = witnessLog;
            server.router = router;
            return server;
        } catch (Exception | Error e) {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            if (coordinator != null) {
                coordinator.close();
            }
            hazelcast.shutdown();
            throw e;
        }
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK provides no DRBG", e);
        }
    }

    private HeadExchange heads;
    private WitnessLog witnessLog;
    private Router router;

    /** The router the API serves: its routes are what the OpenAPI document must describe. */
    public Router router() {
        return router;
    }

    /** Ready when the member checks pass and at least one node is enrolled. */
    private static Readiness readiness(Token token, CoordinatorConfig config, HazelcastInstance hazelcast) {
        Readiness.Check pins = () -> {
            if (config.nodes().isEmpty()) {
                throw new IllegalStateException("no node is enrolled");
            }
        };
        return Readiness.ofMember(token.identity(), token.describe().label(), config.stateDirectory(), hazelcast, pins);
    }

    /** The port the API listens on (useful with port 0). */
    public int actualPort() {
        return http.actualPort();
    }

    /** The API's base URL on the configured host. */
    public String url(String host) {
        return (tls ? "https://" : "http://") + host + ":" + actualPort();
    }

    /** The coordinator's public key (65-byte SEC1 point): what every node pins. */
    public byte[] coordinatorPublicKey() {
        return token.identity().publicKey();
    }

    /** The application behind the API. */
    public Coordinator coordinator() {
        return coordinator;
    }

    /** Stops serving: HTTP first, then the coordinator (sessions end, keys are zeroed), then the cluster member. */
    public void stop() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the HTTP server did not stop cleanly: " + e.getClass().getSimpleName());
        }
        if (heads != null) {
            heads.close();
        }
        try {
            if (witnessLog != null) {
                witnessLog.close();
            }
        } catch (java.io.IOException e) {
            LOG.log(Level.WARNING, "the witness log did not close cleanly");
        }
        coordinator.close();
        hazelcast.shutdown();
        if (ownsToken) {
            token.close();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
