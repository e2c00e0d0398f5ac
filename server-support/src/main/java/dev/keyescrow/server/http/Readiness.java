package dev.keyescrow.server.http;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.journal.files.PrivateFiles;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/health/ready}: whether the member can serve now, check by check. {@code
 * /v1/health} says only that the process is up; a load balancer, an operator or a test that
 * waits for a cluster asks this instead. 200 {@code {status: "UP", checks: {...}}} when every
 * check passes, 503 with {@code status: "DOWN"} and each failed check's reason otherwise.
 * Checks run on a worker thread (they touch the token and the disk) and their reasons are
 * exception messages, which never carry secrets.
 */
public final class Readiness {
    public static final String PATH = "/v1/health/ready";
    private static final String PROBE = ".ready-probe";
    private static final byte[] TOKEN_PROBE = "keyescrow-readiness-probe-v1".getBytes(StandardCharsets.US_ASCII);

    /** One thing serving needs; throws, with the reason, when it is not there. */
    @FunctionalInterface
    public interface Check {
        void verify() throws Exception;
    }

    private final Map<String, Check> checks = new LinkedHashMap<>();

    public Readiness add(String name, Check check) {
        checks.put(name, check);
        return this;
    }

    /**
     * The checks every member makes: {@code token} ({@link #tokenSigns}), {@code journal}
     * ({@link #durableWrites} in the state directory), {@code cluster} (the Hazelcast member
     * runs; a member alone still runs, so a partition does not make it unready) and {@code pins}.
     */
    public static Readiness ofMember(Signer identity, String tokenLabel, Path stateDirectory, HazelcastInstance member,
                                     Check pins) {
        return new Readiness()
                .add("token", tokenSigns(tokenLabel, identity))
                .add("journal", durableWrites(stateDirectory))
                .add("cluster", () -> {
                    if (!member.getLifecycleService().isRunning()) {
                        throw new IllegalStateException("the cluster member is not running");
                    }
                })
                .add("pins", pins);
    }

    /**
     * The identity key signs a probe inside the token (reachable, logged in, its objects
     * intact). A failure names the token by its label, which the token's own error may not:
     * the operator must know which token to restore.
     */
    public static Check tokenSigns(String label, Signer identity) {
        return () -> {
            try {
                identity.sign(TOKEN_PROBE);
            } catch (Exception e) {
                throw new IllegalStateException("token '" + label + "' cannot sign: " + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
            }
        };
    }

    /** Runs every check now (blocking). */
    public JsonObject evaluate() {
        JsonObject results = new JsonObject();
        boolean up = true;
        for (Map.Entry<String, Check> c : checks.entrySet()) {
            try {
                c.getValue().verify();
                results.put(c.getKey(), new JsonObject().put("status", "UP"));
            } catch (Exception | Error e) {
                up = false;
                String reason = e.getMessage() == null ? e.getClass().getSimpleName()
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
                results.put(c.getKey(), new JsonObject().put("status", "DOWN").put("reason", reason));
            }
        }
        return new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", results);
    }

    /**
     * Writes one gauge sample per check into {@code out} under the family {@code metric}
     * (1 = passes, 0 = fails), running every check now, so a scrape sees the same state
     * {@link #PATH} would answer. The label values are the check names this class was given,
     * never request data. Blocking: call from a worker.
     */
    public void renderGauges(PrometheusText out, String metric) {
        JsonObject checksNow = evaluate().getJsonObject("checks");
        out.family(metric, "gauge", "readiness checks: 1 when the check passes, 0 when it fails");
        for (String name : checks.keySet()) {
            JsonObject result = checksNow.getJsonObject(name);
            out.sample(metric, "check", name, result != null && "UP".equals(result.getString("status")) ? 1 : 0);
        }
    }

    /** Adds {@link #PATH} to {@code router}. */
    public void mount(Router router, Vertx vertx) {
        router.get(PATH).handler(ctx -> vertx.executeBlocking(this::evaluate, false).onComplete(r -> {
            JsonObject body = r.succeeded() ? r.result() : new JsonObject().put("status", "DOWN")
                    .put("checks", new JsonObject());
            ctx.response().setStatusCode("UP".equals(body.getString("status")) ? 200 : 503)
                    .putHeader("content-type", "application/json").putHeader("cache-control", "no-store")
                    .end(body.encode());
        }));
    }

    /**
     * The directory takes a durable write, as the journal needs: a private probe file written,
     * forced to disk and deleted (a full disk, a read-only mount or a lost volume fails it).
     */
    public static Check durableWrites(Path directory) {
        return () -> {
            Path probe = directory.resolve(PROBE);
            Files.deleteIfExists(probe);
            try (FileChannel channel = PrivateFiles.open(probe, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(new byte[] {1}));
                channel.force(true);
            } finally {
                Files.deleteIfExists(probe);
            }
        };
    }
}
