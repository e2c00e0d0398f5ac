package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Network partitions of a real cluster (coordinator and 5 nodes, a 3-of-5 key), each member in
 * its own network namespace ({@link NetworkNamespaces}):
 *
 * <ol>
 * <li><b>Split</b> {coordinator, node-1, node-2} | {node-3, node-4, node-5}. A request issued
 * before the split and approved by the three custodians of the far side (t holders, no
 * coordinator), and one issued during the split and approved by the two custodians of the
 * coordinator's side (the coordinator, fewer than t holders): neither may reach APPROVED or
 * count a release while the split lasts.</li>
 * <li><b>Heal</b>: every member ready again, the request issued during the split reaches the far
 * side's nodes; the far side's approvals reach the coordinator and that request completes; the
 * other completes once a third custodian approves.</li>
 * <li><b>Isolate</b> node-1 and node-2 (link down): the coordinator and t reachable holders
 * complete a request. Heal again, converge.</li>
 * <li><b>One way</b>: node-5's outgoing traffic dropped (where {@code nft} exists). A request
 * that needs custodian-5's approval waits; one approved by three others completes; after the
 * heal the first completes.</li>
 * </ol>
 *
 * Then the chaos checker's invariants on the journals. Hazelcast's failure detector and
 * split-brain merge run on shortened timers (named in {@link #HAZELCAST_TIMERS}), so that a run
 * fits in CI; the defaults only make each step slower.
 */
public final class PartitionRun {
    /** Member JVM settings: a member is declared gone after 15 s without heartbeat; split clusters look for each other every 10 s. */
    public static final String HAZELCAST_TIMERS = "-Dhazelcast.max.no.heartbeat.seconds=15"
            + " -Dhazelcast.merge.first.run.delay.seconds=10 -Dhazelcast.merge.next.run.delay.seconds=10";
    private static final int HOLD_SECONDS = 30;
    private static final Duration CONVERGE_WITHIN = Duration.ofSeconds(240);
    private static final Set<String> PROGRESSED = Set.of("APPROVED", "ACTIVE", "EXECUTED");

    private final LocalCluster cluster;
    private final NetworkNamespaces network;
    private final PrintStream progress;
    private final Acknowledgements acks = new Acknowledgements();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    private final List<String[]> figures = new ArrayList<>();
    private CoordinatorClient coordinator;
    private final List<String> custodians = new ArrayList<>();
    private final List<SecretBytes> keys = new ArrayList<>();
    private final List<NodeClient> nodes = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    private byte[] coordinatorKey;

    public PartitionRun(LocalCluster cluster, NetworkNamespaces network, PrintStream progress) {
        this.cluster = cluster.withNetwork(network.withMemberEnvironment(Map.of("JAVA_TOOL_OPTIONS",
                HAZELCAST_TIMERS)));
        this.network = network;
        this.progress = progress;
    }

    /** What the servers acknowledged (for tests of the checker). */
    Acknowledgements acknowledgements() {
        return acks;
    }

    public PartitionReport run(boolean softwareVault) throws Exception {
        long wallStart = System.nanoTime();
        LocalCluster.Started started = cluster.start(ChaosSettings.NODES, softwareVault);
        progress.println("partitions: cluster up (" + started.backend() + "), each member in its own namespace");
        coordinator = new CoordinatorClient(started.coordinatorUrl(),
                Files.readString(cluster.layout().operatorToken(), StandardCharsets.US_ASCII).trim());
        try {
            enrol(started);
            String keyId = coordinator.createKey("partition", "AES-256", 3, new JsonArray(custodians))
                    .getString("keyId");
            for (int i = 0; i < custodians.size(); i++) {
                CustodianDesk.countersign(coordinator, keyId, 1, custodians.get(i), keys.get(i), coordinatorKey);
                acks.countersigned(keyId, 1, custodians.get(i));
            }
            splitAndHeal(keyId);
            isolateAndHeal(keyId);
            if (NetworkNamespaces.canDropOneWay()) {
                oneWayAndHeal(keyId);
            } else {
                progress.println("partitions: no nft here: the one-way cut is skipped");
            }
            JsonObject audit = ChaosWorkload.call(coordinator::auditVerify);
            if (!audit.getBoolean("ok", false)) {
                violations.add("the coordinator's GET /v1/audit/verify says " + audit.encode());
            }
            List<MemberProcess> members = LocalCluster.recorded(cluster.layout());
            cluster.stopAll();
            for (MemberProcess m : members) {
                if (cluster.process(m.id()).isPresent()) {
                    violations.add(m.id() + " (pid " + m.pid() + ") is still running after stop");
                }
            }
            JournalChecker.Result result = new JournalChecker().check(cluster.layout().dir(), nodeIds, acks);
            List<String> all = new ArrayList<>(violations);
            all.addAll(result.violations());
            long records = result.records().values().stream().mapToLong(Long::longValue).sum();
            return new PartitionReport(figures, acks.total(), records, result.findings(), all,
                    (System.nanoTime() - wallStart) / 1_000_000L);
        } finally {
            keys.forEach(SecretBytes::destroy);
        }
    }

    private void enrol(LocalCluster.Started started) throws Exception {
        SecureRandom random = SecureRandom.getInstance("DRBG");
        List<MemberProcess> members = started.members().stream().filter(m -> !m.id().equals("coordinator")).toList();
        for (int i = 1; i <= ChaosSettings.NODES; i++) {
            SecretBytes key = Ed25519.generatePrivateKey(random);
            MemberProcess node = members.get(i - 1);
            coordinator.registerCustodian("custodian-" + i, Base64.getEncoder().encodeToString(
                    Ed25519.publicKeyOf(key)), node.id());
            custodians.add("custodian-" + i);
            keys.add(key);
            nodes.add(new NodeClient(node.url()));
            nodeIds.add(node.id());
        }
        coordinatorKey = Base64.getDecoder().decode(nodes.get(0).node().getString("coordinatorPublicKey"));
    }

    private void splitAndHeal(String keyId) throws Exception {
        String before = create(keyId);
        for (int n = 1; n <= 5; n++) {
            awaitAt(n, before);
        }
        network.split(List.of("node-3", "node-4", "node-5"));
        long split = System.nanoTime();
        progress.println("partitions: split {coordinator, node-1, node-2} | {node-3, node-4, node-5}");
        String during = create(keyId);
        figure("split: a request accepted by the coordinator's side", seconds(split));
        for (int c = 3; c <= 5; c++) {
            approve(before, c);
        }
        figure("split: three approvals acknowledged on the far side", seconds(split));
        approve(during, 1);
        approve(during, 2);
        try {
            CustodianDesk.awaitReview(nodes.get(2), during, Duration.ofSeconds(3), coordinatorKey);
            violations.add("node-3, cut off, showed request " + during + " issued during the split");
        } catch (ApiException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        hold(List.of(before, during), "a side with the coordinator and fewer than t holders, or t holders and no"
                + " coordinator");

        network.healAll();
        long heal = System.nanoTime();
        progress.println("partitions: healed");
        awaitReady();
        figure("heal after split: every member ready", seconds(heal));
        for (int n = 3; n <= 5; n++) {
            awaitAt(n, during);
        }
        figure("heal after split: the split's request at every node", seconds(heal));
        expectActive(before, "approved on the far side during the split", heal,
                "heal after split: the far side's approvals complete their request");
        approve(during, 3);
        expectActive(during, "approved by custodian-3 after the heal", heal,
                "heal after split: the split's request completes after a third approval");
    }

    private void isolateAndHeal(String keyId) throws Exception {
        network.isolate("node-1");
        network.isolate("node-2");
        long cut = System.nanoTime();
        progress.println("partitions: node-1 and node-2 isolated (link down)");
        String request = create(keyId);
        figure("isolation: a request accepted", seconds(cut));
        for (int c = 3; c <= 5; c++) {
            approve(request, c);
        }
        expectActive(request, "approved by three reachable holders", cut,
                "isolation: the coordinator and t reachable holders complete");
        network.healAll();
        long heal = System.nanoTime();
        awaitReady();
        figure("heal after isolation: every member ready", seconds(heal));
        awaitAt(1, request);
        awaitAt(2, request);
        figure("heal after isolation: the request at the isolated nodes", seconds(heal));
    }

    /**
     * Everything node-5 sends is dropped, everything sent to it arrives: a request that needs
     * custodian-5's answer (custodians 1, 2 and 5 approve) completes nothing; one approved by
     * custodians 1–3 completes. After the heal the first completes too.
     */
    private void oneWayAndHeal(String keyId) throws Exception {
        String needsFive = create(keyId);
        awaitAt(5, needsFive);
        network.dropFrom("node-5");
        long cut = System.nanoTime();
        progress.println("partitions: node-5's outgoing traffic dropped");
        approve(needsFive, 5);
        approve(needsFive, 1);
        approve(needsFive, 2);
        String without = create(keyId);
        for (int c = 1; c <= 3; c++) {
            approve(without, c);
        }
        expectActive(without, "approved by three holders while node-5 was cut one way", cut,
                "one-way cut: the coordinator and t holders that can speak complete");
        hold(List.of(needsFive), "node-5 heard but not heard");
        network.healAll();
        long heal = System.nanoTime();
        awaitReady();
        expectActive(needsFive, "approved by custodians 1, 2 and 5 during the one-way cut", heal,
                "heal after one-way cut: the request that needed node-5 completes");
    }

    /** For {@link #HOLD_SECONDS}: no request of {@code ids} may progress or count a release. */
    private void hold(List<String> ids, String side) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(HOLD_SECONDS).toNanos();
        while (System.nanoTime() < end) {
            for (String id : ids) {
                JsonObject view = ChaosWorkload.call(() -> coordinator.request(id));
                if (PROGRESSED.contains(view.getString("state")) || !view.getJsonArray("releases").isEmpty()) {
                    violations.add("request " + id + " progressed during the split (" + side + "): " + view
                            .getString("state") + ", releases " + view.getJsonArray("releases").encode());
                    return;
                }
            }
            Thread.sleep(1000);
        }
    }

    private String create(String keyId) throws Exception {
        JsonObject request = ChaosWorkload.call(() -> coordinator.createRequest(keyId, "USE", "partition test", 900,
                new JsonObject().put("maxOperations", 2).put("sessionSeconds", 300)));
        acks.created(request.getString("requestId"), keyId, "USE");
        return request.getString("requestId");
    }

    /** Custodian {@code c} (1-based) reviews and approves at their own node. */
    private void approve(String requestId, int c) throws Exception {
        NodeClient node = nodes.get(c - 1);
        ChaosWorkload.call(() -> {
            ReviewedRequest reviewed = CustodianDesk.awaitReview(node, requestId, Duration.ofSeconds(60),
                    coordinatorKey);
            return CustodianDesk.answer(node, reviewed, custodians.get(c - 1), Decision.APPROVE, keys.get(c - 1));
        });
        acks.answered(requestId, custodians.get(c - 1), nodeIds.get(c - 1), "APPROVE");
    }

    /** Waits until node {@code n} (1-based) shows the request. */
    private void awaitAt(int n, String requestId) throws Exception {
        ChaosWorkload.call(() -> CustodianDesk.awaitReview(nodes.get(n - 1), requestId, CONVERGE_WITHIN,
                coordinatorKey));
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
        for (MemberProcess m : LocalCluster.recorded(cluster.layout())) {
            while (!cluster.healthy(m.url())) {
                if (System.nanoTime() > deadline) {
                    violations.add(m.id() + " was not ready " + CONVERGE_WITHIN.toSeconds() + " s after the heal");
                    return;
                }
                Thread.sleep(200);
            }
        }
    }

    /** The request must reach ACTIVE; then a message it encrypts must decrypt. */
    private void expectActive(String id, String how, long since, String figure) throws Exception {
        long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
        JsonObject view = ChaosWorkload.call(() -> coordinator.request(id));
        while (!Set.of("ACTIVE", "EXECUTED", "FAILED", "DENIED", "EXPIRED", "CANCELLED").contains(view.getString("state"))
                && System.nanoTime() < deadline) {
            String seen = view.getString("state");
            view = ChaosWorkload.call(() -> coordinator.requestChangedFrom(id, seen, 10));
        }
        if (!"ACTIVE".equals(view.getString("state"))) {
            violations.add("request " + id + " (" + how + ") did not complete: " + view.getString("state")
                    + ", history " + view.getJsonArray("history").encode());
            return;
        }
        figure(figure, seconds(since));
        String plaintext = Base64.getEncoder().encodeToString("partition".getBytes(StandardCharsets.US_ASCII));
        String ciphertext = ChaosWorkload.call(() -> coordinator.encrypt(id, plaintext, null)).getString("ciphertext");
        String back = ChaosWorkload.call(() -> coordinator.decrypt(id, ciphertext, null)).getString("plaintext");
        if (!plaintext.equals(back)) {
            violations.add("USE " + id + ": decrypt did not return the encrypted message");
        }
    }

    private void figure(String what, double seconds) {
        String value = String.format(java.util.Locale.ROOT, "%.1f s", seconds);
        figures.add(new String[] {what, value});
        progress.println("partitions: " + what + ": " + value);
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
