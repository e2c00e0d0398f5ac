package dev.keyescrow.cli.bench;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * What the load generators share: a started local cluster of 5 nodes and the coordinator (real
 * processes, real tokens), the operator's client, and 5 automated custodians, one per node,
 * who countersign keys and approve requests at their nodes as people would.
 */
final class BenchCluster implements AutoCloseable {
    static final int NODES = 5;
    static final int THRESHOLD = 3;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int LONG_POLL_SECONDS = 20;

    private final LocalCluster cluster;
    private final String backend;
    private final CoordinatorClient coordinator;
    private final List<String> memberIds = new ArrayList<>();
    private final List<String> custodians = new ArrayList<>();
    private final List<SecretBytes> custodianKeys = new ArrayList<>();
    private final List<NodeClient> custodianNodes = new ArrayList<>();
    /** The coordinator key the custodians pin, read once (as a custodian would at enrolment). */
    private final byte[] coordinatorKey;

    private BenchCluster(LocalCluster cluster, LocalCluster.Started started, SecureRandom random) throws Exception {
        this.cluster = cluster;
        this.backend = started.backend();
        this.coordinator = new CoordinatorClient(started.coordinatorUrl(),
                Files.readString(cluster.layout().operatorToken(), StandardCharsets.US_ASCII).trim());
        List<MemberProcess> nodes = started.members().stream().filter(m -> !m.id().equals("coordinator")).toList();
        started.members().forEach(m -> memberIds.add(m.id()));
        for (int i = 1; i <= NODES; i++) {
            String id = "custodian-" + i;
            SecretBytes key = Ed25519.generatePrivateKey(random);
            custodianKeys.add(key);
            coordinator.registerCustodian(id, Base64.getEncoder().encodeToString(Ed25519.publicKeyOf(key)),
                    nodes.get(i - 1).id());
            custodians.add(id);
            custodianNodes.add(new NodeClient(nodes.get(i - 1).url()));
        }
        this.coordinatorKey = Base64.getDecoder().decode(custodianNodes.get(0).node()
                .getString("coordinatorPublicKey"));
    }

    /** Starts {@code cluster} (5 nodes and the coordinator) and registers one custodian per node. */
    static BenchCluster start(LocalCluster cluster, boolean softwareVault, SecureRandom random) throws Exception {
        LocalCluster.Started started = cluster.start(NODES, softwareVault);
        try {
            return new BenchCluster(cluster, started, random);
        } catch (Exception e) {
            cluster.stopAll();
            throw e;
        }
    }

    /** The tokens' backend, as the cluster start reports it. */
    String backend() {
        return backend;
    }

    LocalCluster cluster() {
        return cluster;
    }

    CoordinatorClient coordinator() {
        return coordinator;
    }

    /** The ids of the 6 members, the coordinator's included. */
    List<String> memberIds() {
        return List.copyOf(memberIds);
    }

    /** The process ids of the members running now (a restarted member has a new one). */
    List<Long> memberPids() throws java.io.IOException {
        List<Long> pids = new ArrayList<>();
        for (String id : memberIds) {
            pids.add(cluster.process(id).orElseThrow(() -> new IllegalStateException("member " + id + " is not"
                    + " running")).pid());
        }
        return pids;
    }

    JsonArray custodianIds() {
        return new JsonArray(new ArrayList<>(custodians));
    }

    /** A 3-of-5 AES-256 key whose 5 holders have all countersigned its manifest: a real ceremony. */
    String createCountersignedKey(String name) throws Exception {
        JsonObject key = coordinator.createKey(name, "AES-256", THRESHOLD, custodianIds());
        String keyId = key.getString("keyId");
        countersignAll(keyId, key.getInteger("version"));
        return keyId;
    }

    /** Every custodian countersigns version {@code version} of {@code keyId}. */
    void countersignAll(String keyId, int version) throws Exception {
        for (int i = 0; i < NODES; i++) {
            CustodianDesk.countersign(coordinator, keyId, version, custodians.get(i), custodianKeys.get(i), null);
        }
    }

    /**
     * Three custodians, starting with number {@code round} mod 5, each at their own node and at
     * the same time (independent people), wait for {@code requestId} to arrive, check it and
     * approve it.
     */
    void approve(String requestId, int round, ExecutorService desks) throws Exception {
        List<Future<JsonObject>> answers = new ArrayList<>();
        for (int k = 0; k < THRESHOLD; k++) {
            int custodian = (round + k) % NODES;
            NodeClient node = custodianNodes.get(custodian);
            answers.add(desks.submit(() -> CustodianDesk.answer(node,
                    CustodianDesk.awaitReview(node, requestId, WAIT, coordinatorKey), custodians.get(custodian),
                    Decision.APPROVE, custodianKeys.get(custodian))));
        }
        for (Future<JsonObject> answer : answers) {
            answer.get();
        }
    }

    /**
     * Long-polls the coordinator from {@code view} until its request is in {@code doneState};
     * fails if it ends in another state or takes longer than a minute from {@code startNanos}.
     */
    JsonObject await(JsonObject view, String doneState, long startNanos) throws Exception {
        String requestId = view.getString("requestId");
        String state = view.getString("state");
        while (!doneState.equals(state)) {
            if (!"PENDING".equals(state) && !"APPROVED".equals(state) || System.nanoTime() - startNanos > WAIT.toNanos()) {
                throw new IllegalStateException("request " + requestId + " ended " + state + " instead of "
                        + doneState);
            }
            view = coordinator.requestChangedFrom(requestId, state, LONG_POLL_SECONDS);
            state = view.getString("state");
        }
        return view;
    }

    @Override
    public void close() {
        custodianKeys.forEach(SecretBytes::destroy);
    }
}
