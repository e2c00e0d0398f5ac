package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A whole chaos run: start a local cluster (coordinator and 5 nodes, real processes and
 * tokens), register 5 custodians and one 3-of-5 key per worker, then for the run's minutes
 * drive the workers' operations while the injector applies the seeded fault schedule; let the
 * cluster settle, stop it, check that every process is gone, and check the invariants on the
 * journals. The caller stops the cluster on failure as well.
 */
public final class ChaosRun {
    private static final long SETTLE_MILLIS = 90_000;

    private final LocalCluster cluster;
    private final ChaosSettings settings;
    private final PrintStream progress;
    private final Acknowledgements acks = new Acknowledgements();
    private final OperationTally tally = new OperationTally();
    private final ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();

    public ChaosRun(LocalCluster cluster, ChaosSettings settings, PrintStream progress) {
        this.cluster = cluster;
        this.settings = settings;
        this.progress = progress;
    }

    /** What the servers acknowledged during the run (for tests of the checker). */
    Acknowledgements acknowledgements() {
        return acks;
    }

    public ChaosReport run(boolean softwareVault) throws Exception {
        long wallStart = System.nanoTime();
        FaultSchedule schedule = settings.schedule();
        StringBuilder planned = new StringBuilder();
        schedule.faults().forEach(f -> planned.append(f).append('\n'));
        LocalCluster.Started started = cluster.start(ChaosSettings.NODES, softwareVault);
        Files.writeString(cluster.layout().dir().resolve("chaos-schedule.txt"), planned);
        progress.println("chaos: cluster up (" + started.backend() + "); " + schedule.faults().size()
                + " faults planned, listed in " + cluster.layout().dir().resolve("chaos-schedule.txt"));
        CoordinatorClient coordinator = new CoordinatorClient(started.coordinatorUrl(),
                Files.readString(cluster.layout().operatorToken(), StandardCharsets.US_ASCII).trim());
        List<MemberProcess> nodes = started.members().stream().filter(m -> !m.id().equals("coordinator")).toList();
        List<String> custodians = new ArrayList<>();
        List<SecretBytes> keys = new ArrayList<>();
        List<NodeClient> nodeClients = new ArrayList<>();
        List<String> nodeIds = new ArrayList<>();
        SecureRandom random = SecureRandom.getInstance("DRBG");
        try {
            for (int i = 1; i <= ChaosSettings.NODES; i++) {
                SecretBytes key = Ed25519.generatePrivateKey(random);
                MemberProcess node = nodes.get(i - 1);
                coordinator.registerCustodian("custodian-" + i, Base64.getEncoder().encodeToString(
                        Ed25519.publicKeyOf(key)), node.id());
                custodians.add("custodian-" + i);
                keys.add(key);
                nodeClients.add(new NodeClient(node.url()));
                nodeIds.add(node.id());
            }
            byte[] coordinatorKey = Base64.getDecoder().decode(nodeClients.get(0).node()
                    .getString("coordinatorPublicKey"));
            List<String> keyIds = new ArrayList<>();
            for (int w = 1; w <= settings.workers(); w++) {
                JsonObject key = coordinator.createKey("chaos-" + w, "AES-256", 3, new JsonArray(custodians));
                for (int i = 0; i < custodians.size(); i++) {
                    CustodianDesk.countersign(coordinator, key.getString("keyId"), key.getInteger("version"),
                            custodians.get(i), keys.get(i), coordinatorKey);
                    acks.countersigned(key.getString("keyId"), key.getInteger("version"), custodians.get(i));
                }
                keyIds.add(key.getString("keyId"));
            }
            ChaosWorkload workload = new ChaosWorkload(coordinator, custodians, keys, nodeClients, nodeIds,
                    coordinatorKey, acks, tally, violations);
            FaultInjector injector = new FaultInjector(cluster, progress, violations);
            long start = System.nanoTime();
            long stopAt = start + settings.durationMillis() * 1_000_000L;
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < settings.workers(); w++) {
                String keyId = keyIds.get(w);
                // each worker's operation choices: a stream of its own, fixed by the seed
                SplittableRandom own = new SplittableRandom(settings.seed() * 1_000_003L + w + 1);
                Thread worker = new Thread(() -> workload.run(keyId, own, stopAt), "chaos-worker-" + (w + 1));
                worker.start();
                threads.add(worker);
            }
            Thread faults = new Thread(() -> injector.run(schedule, start, stopAt, settings.seed()), "chaos-faults");
            faults.start();
            faults.join();
            for (Thread t : threads) {
                t.join();
            }
            progress.println("chaos: operations ended; settling");
            settle(coordinator);
            JsonObject audit = coordinator.auditVerify();
            if (!audit.getBoolean("ok", false)) {
                violations.add("the coordinator's GET /v1/audit/verify says " + audit.encode());
            }
            checkRequestsVisible(coordinator);
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
            return new ChaosReport(settings, injector.outcomes(), tally.snapshot(), tally.reasons(), acks.total(), result.records(),
                    result.findings(), all, (System.nanoTime() - wallStart) / 1_000_000L);
        } finally {
            keys.forEach(SecretBytes::destroy);
        }
    }

    /**
     * Gives the cluster time to finish what the faults interrupted (re-published releases,
     * late shred receipts): until no request is APPROVED or ACTIVE, or {@link #SETTLE_MILLIS}.
     */
    private void settle(CoordinatorClient coordinator) throws Exception {
        long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            boolean busy = false;
            for (Object o : ChaosWorkload.call(coordinator::requests)) {
                String state = ((JsonObject) o).getString("state");
                busy |= state.equals("APPROVED") || state.equals("ACTIVE");
            }
            if (!busy) {
                break;
            }
            Thread.sleep(1000);
        }
        Thread.sleep(3000); // late shred receipts and releases of nodes that came back last
    }

    /** Every request the coordinator acknowledged is in its public list. */
    private void checkRequestsVisible(CoordinatorClient coordinator) throws Exception {
        Set<String> listed = new HashSet<>();
        for (Object o : ChaosWorkload.call(coordinator::requests)) {
            listed.add(((JsonObject) o).getString("requestId"));
        }
        for (Acknowledgements.Created c : acks.created()) {
            if (!listed.contains(c.requestId())) {
                violations.add("request " + c.requestId() + " was acknowledged but GET /v1/requests does not list it");
            }
        }
    }
}
