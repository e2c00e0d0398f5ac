package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.chaos.OperationTally.Outcome;
import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One worker's stream of operations on its own key, drawn from its seeded generator: USE with
 * encrypt and decrypt, EXPORT, ROTATE, REFRESH, RESHARE, DESTROY of an old version, cancels and
 * DENY, custodians answering at their own nodes. Every call survives faults by retrying while
 * a member is unreachable or not ready; every 2xx is recorded in {@link Acknowledgements}.
 */
final class ChaosWorkload {
    private static final Duration OPERATION_WAIT = Duration.ofSeconds(150);
    private static final Duration CALL_WAIT = Duration.ofSeconds(60);
    private static final Set<String> ENDS = Set.of("EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED");
    private static final int TTL_SECONDS = 900;

    private final CoordinatorClient coordinator;
    private final List<String> custodians;
    private final List<SecretBytes> custodianKeys;
    private final List<NodeClient> nodes;
    private final List<String> nodeIds;
    private final byte[] coordinatorKey;
    private final Acknowledgements acks;
    private final OperationTally tally;
    private final ConcurrentLinkedQueue<String> violations;
    private final SecureBytes bytes = new SecureBytes();

    ChaosWorkload(CoordinatorClient coordinator, List<String> custodians, List<SecretBytes> custodianKeys,
                  List<NodeClient> nodes, List<String> nodeIds, byte[] coordinatorKey, Acknowledgements acks,
                  OperationTally tally, ConcurrentLinkedQueue<String> violations) {
        this.coordinator = coordinator;
        this.custodians = custodians;
        this.custodianKeys = custodianKeys;
        this.nodes = nodes;
        this.nodeIds = nodeIds;
        this.coordinatorKey = coordinatorKey;
        this.acks = acks;
        this.tally = tally;
        this.violations = violations;
    }

    /** Runs operations on {@code keyId} until {@code stopAtNanos}; the last one started runs to its end. */
    void run(String keyId, SplittableRandom random, long stopAtNanos) {
        while (System.nanoTime() < stopAtNanos && !Thread.currentThread().isInterrupted()) {
            String op = pick(random);
            tally.attempted(op);
            Outcome outcome;
            try {
                countersignPending(keyId);
                outcome = switch (op) {
                    case "USE" -> use(keyId, random);
                    case "EXPORT" -> export(keyId, random);
                    case "ROTATE", "REFRESH" -> ceremony(keyId, op, new JsonObject(), random);
                    case "RESHARE" -> ceremony(keyId, op, new JsonObject().put("threshold", 2 + random.nextInt(2))
                            .put("holders", call(() -> coordinator.reshareHolders(custodians))), random);
                    case "DESTROY" -> destroy(keyId, random);
                    case "CANCEL" -> cancel(keyId, random);
                    case "DENY" -> deny(keyId, random);
                    default -> throw new IllegalStateException(op);
                };
            } catch (ApiException e) {
                outcome = e.status() >= 400 && e.status() < 500 ? Outcome.REFUSED : Outcome.INTERRUPTED;
                tally.reason(op, outcome, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = Outcome.INTERRUPTED;
            } catch (Exception e) {
                outcome = Outcome.INTERRUPTED;
                tally.reason(op, outcome, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            tally.ended(op, outcome);
        }
    }

    private static String pick(SplittableRandom random) {
        int roll = random.nextInt(100);
        if (roll < 38) {
            return "USE";
        } else if (roll < 46) {
            return "EXPORT";
        } else if (roll < 54) {
            return "ROTATE";
        } else if (roll < 62) {
            return "REFRESH";
        } else if (roll < 68) {
            return "RESHARE";
        } else if (roll < 76) {
            return "DESTROY";
        } else if (roll < 88) {
            return "CANCEL";
        }
        return "DENY";
    }

    private Outcome use(String keyId, SplittableRandom random) throws Exception {
        JsonObject request = create(keyId, "USE", new JsonObject().put("maxOperations", 2).put("sessionSeconds", 120),
                null);
        String id = request.getString("requestId");
        int t = threshold(request);
        if (answer(id, t, Decision.APPROVE, random) < t) {
            return stopped("USE", "fewer than t answers acknowledged");
        }
        JsonObject view = awaitState(id, Set.of("ACTIVE"));
        if (!"ACTIVE".equals(view.getString("state"))) {
            return stopped("USE", "ended " + view.getString("state"));
        }
        byte[] message = bytes.next(48);
        String plaintext = Base64.getEncoder().encodeToString(message);
        String ciphertext = call(() -> coordinator.encrypt(id, plaintext, null)).getString("ciphertext");
        String back = call(() -> coordinator.decrypt(id, ciphertext, null)).getString("plaintext");
        if (!plaintext.equals(back)) {
            violations.add("USE " + id + ": decrypt did not return the encrypted message");
        }
        return Outcome.COMPLETED;
    }

    private Outcome export(String keyId, SplittableRandom random) throws Exception {
        JsonObject request = create(keyId, "EXPORT", new JsonObject().put("recipientPublicKey", recipientKey()), null);
        String id = request.getString("requestId");
        int t = threshold(request);
        if (answer(id, t, Decision.APPROVE, random) < t) {
            return stopped("EXPORT", "fewer than t answers acknowledged");
        }
        String state = awaitState(id, Set.of("ACTIVE")).getString("state");
        if (!"ACTIVE".equals(state)) {
            return stopped("EXPORT", "ended " + state);
        }
        String bundle = call(() -> coordinator.export(id));
        // the bundle holds the nodes' signed releases for the recipient: at least t of them
        int releases;
        try {
            releases = dev.keyescrow.core.export.ExportBundle.decode(
                    bundle.getBytes(java.nio.charset.StandardCharsets.UTF_8)).releases().size();
        } catch (dev.keyescrow.core.error.FormatException | IllegalArgumentException e) {
            return stopped("EXPORT", "not an export bundle: " + e.getMessage());
        }
        return releases < t ? stopped("EXPORT", releases + " releases, fewer than t") : Outcome.COMPLETED;
    }

    private Outcome ceremony(String keyId, String op, JsonObject params, SplittableRandom random) throws Exception {
        JsonObject request = create(keyId, op, params, null);
        String id = request.getString("requestId");
        int t = threshold(request);
        if (answer(id, t, Decision.APPROVE, random) < t) {
            return stopped(op, "fewer than t answers acknowledged");
        }
        JsonObject view = awaitState(id, Set.of());
        if (!"EXECUTED".equals(view.getString("state"))) {
            return stopped(op, "ended " + view.getString("state") + ": " + lastReason(view));
        }
        countersignPending(keyId);
        return Outcome.COMPLETED;
    }

    private Outcome destroy(String keyId, SplittableRandom random) throws Exception {
        JsonArray versions = call(() -> coordinator.key(keyId)).getJsonArray("versions");
        List<Integer> old = new ArrayList<>();
        int latest = 0;
        for (Object o : versions) {
            latest = Math.max(latest, ((JsonObject) o).getInteger("version"));
        }
        for (Object o : versions) {
            JsonObject v = (JsonObject) o;
            if (v.getInteger("version") < latest && Set.of("ACTIVE", "DEACTIVATED", "PRE_ACTIVE")
                    .contains(v.getString("state"))) {
                old.add(v.getInteger("version"));
            }
        }
        if (old.isEmpty()) {
            return use(keyId, random);
        }
        JsonObject request = create(keyId, "DESTROY", new JsonObject(), old.get(random.nextInt(old.size())));
        String id = request.getString("requestId");
        int t = threshold(request);
        if (answer(id, t, Decision.APPROVE, random) < t) {
            return stopped("DESTROY", "fewer than t answers acknowledged");
        }
        JsonObject view = awaitState(id, Set.of());
        for (Object node : view.getJsonArray("shreddedNodes", new JsonArray())) {
            acks.shredReceipt(id, (String) node);
        }
        return "EXECUTED".equals(view.getString("state")) ? Outcome.COMPLETED
                : stopped("DESTROY", "ended " + view.getString("state") + ": " + lastReason(view));
    }

    private Outcome cancel(String keyId, SplittableRandom random) throws Exception {
        JsonObject request = create(keyId, "USE", new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60),
                null);
        String id = request.getString("requestId");
        answer(id, 1, Decision.APPROVE, random);
        call(() -> coordinator.cancel(id));
        acks.cancelled(id);
        String state = awaitState(id, Set.of()).getString("state");
        return "CANCELLED".equals(state) ? Outcome.COMPLETED : stopped("CANCEL", "ended " + state);
    }

    private Outcome deny(String keyId, SplittableRandom random) throws Exception {
        JsonObject request = create(keyId, "USE", new JsonObject().put("maxOperations", 1).put("sessionSeconds", 60),
                null);
        String id = request.getString("requestId");
        JsonObject version = versionOf(request);
        int denials = version.getInteger("shares") - version.getInteger("threshold") + 1;
        answer(id, denials, Decision.DENY, random);
        String state = awaitState(id, Set.of()).getString("state");
        return "DENIED".equals(state) ? Outcome.COMPLETED : stopped("DENY", "ended " + state);
    }

    private Outcome stopped(String op, String why) {
        tally.reason(op, Outcome.INTERRUPTED, why);
        return Outcome.INTERRUPTED;
    }

    private static String lastReason(JsonObject view) {
        JsonArray history = view.getJsonArray("history", new JsonArray());
        return history.isEmpty() ? "" : history.getJsonObject(history.size() - 1).getString("reason", "");
    }

    private JsonObject create(String keyId, String op, JsonObject params, Integer version) throws Exception {
        JsonObject request = call(() -> version == null
                ? coordinator.createRequest(keyId, op, "chaos: " + op, TTL_SECONDS, params)
                : coordinator.createRequest(keyId, op, "chaos: " + op, TTL_SECONDS, params, version));
        acks.created(request.getString("requestId"), keyId, op);
        return request;
    }

    /** The threshold of the request's key version (the request view names the version, the key view its quorum). */
    private int threshold(JsonObject request) throws Exception {
        return versionOf(request).getInteger("threshold");
    }

    private JsonObject versionOf(JsonObject request) throws Exception {
        for (Object o : call(() -> coordinator.key(request.getString("keyId"))).getJsonArray("versions")) {
            JsonObject v = (JsonObject) o;
            if (v.getInteger("version").equals(request.getInteger("version"))) {
                return v;
            }
        }
        throw new IllegalStateException("request " + request.getString("requestId") + " names an unknown version");
    }

    /**
     * Custodians in a random order answer at their own nodes until {@code wanted} answers are
     * acknowledged (or every custodian was tried); returns how many were.
     */
    private int answer(String requestId, int wanted, Decision decision, SplittableRandom random) throws Exception {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < custodians.size(); i++) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Integer t = order.get(i);
            order.set(i, order.get(j));
            order.set(j, t);
        }
        int acknowledged = 0;
        for (int i : order) {
            if (acknowledged == wanted) {
                break;
            }
            NodeClient node = nodes.get(i);
            try {
                call(() -> {
                    ReviewedRequest reviewed = CustodianDesk.awaitReview(node, requestId, Duration.ofSeconds(20),
                            coordinatorKey);
                    return CustodianDesk.answer(node, reviewed, custodians.get(i), decision, custodianKeys.get(i));
                });
                acks.answered(requestId, custodians.get(i), nodeIds.get(i), decision.name());
                acknowledged++;
            } catch (ApiException e) {
                if (e.status() == 409 && e.getMessage().contains("already answered")) {
                    acknowledged++; // acknowledged before, its answer lost on the way back
                } else {
                    tally.reason("answer", e.status() >= 400 && e.status() < 500 ? Outcome.REFUSED
                            : Outcome.INTERRUPTED, e.getMessage());
                }
            } catch (CustodianDesk.ReviewException e) {
                violations.add("request " + requestId + " failed the custodian's review at " + nodeIds.get(i) + ": "
                        + e.getMessage());
            }
        }
        return acknowledged;
    }

    /** Countersigns, as every holder would, each version of the key that still waits for countersignatures. */
    private void countersignPending(String keyId) throws Exception {
        for (Object o : call(() -> coordinator.key(keyId)).getJsonArray("versions")) {
            JsonObject v = (JsonObject) o;
            if (!"PRE_ACTIVE".equals(v.getString("state"))) {
                continue;
            }
            JsonArray done = v.getJsonArray("countersigned", new JsonArray());
            for (int i = 0; i < custodians.size(); i++) {
                int c = i;
                if (done.contains(custodians.get(c))) {
                    continue;
                }
                try {
                    call(() -> {
                        CustodianDesk.countersign(coordinator, keyId, v.getInteger("version"), custodians.get(c),
                                custodianKeys.get(c), coordinatorKey);
                        return null;
                    });
                    acks.countersigned(keyId, v.getInteger("version"), custodians.get(c));
                } catch (ApiException e) {
                    if (e.status() < 400 || e.status() >= 500) {
                        throw e;
                    }
                    // 409/422: already countersigned, or not a holder of this version
                } catch (CustodianDesk.ReviewException e) {
                    if (!e.getMessage().contains("holds no share")) {
                        violations.add("manifest " + keyId + " v" + v.getInteger("version") + " failed review: "
                                + e.getMessage());
                    }
                }
            }
        }
    }

    /** Waits until the request reaches one of {@code states} or ends. */
    private JsonObject awaitState(String requestId, Set<String> states) throws Exception {
        long deadline = System.nanoTime() + OPERATION_WAIT.toNanos();
        JsonObject view = call(() -> coordinator.request(requestId));
        while (!states.contains(view.getString("state")) && !ENDS.contains(view.getString("state"))
                && System.nanoTime() < deadline) {
            String seen = view.getString("state");
            view = call(() -> coordinator.requestChangedFrom(requestId, seen, 10));
        }
        return view;
    }

    interface Call<T> {
        T run() throws Exception;
    }

    /** Runs {@code call}, retrying while the server is unreachable or answers 5xx, for up to a minute. */
    static <T> T call(Call<T> call) throws Exception {
        long deadline = System.nanoTime() + CALL_WAIT.toNanos();
        while (true) {
            try {
                return call.run();
            } catch (ApiException e) {
                boolean transient_ = e.status() == 0 || e.status() >= 500;
                if (!transient_ || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }

    private static String recipientKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
        byte[] point = new byte[65];
        point[0] = 4;
        copy(key.getW().getAffineX(), point, 1);
        copy(key.getW().getAffineY(), point, 33);
        return Base64.getEncoder().encodeToString(point);
    }

    private static void copy(java.math.BigInteger value, byte[] into, int offset) {
        byte[] raw = value.toByteArray();
        int length = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - length, into, offset + 32 - length, length);
    }

    /** Random public test messages. */
    private static final class SecureBytes {
        private final java.security.SecureRandom random = new java.security.SecureRandom();

        byte[] next(int n) {
            byte[] b = new byte[n];
            random.nextBytes(b);
            return b;
        }
    }
}
