package dev.keyescrow.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyescrow.coordinator.config.CoordinatorConfigFile;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts, stops and inspects a local development cluster: one coordinator and N custodian
 * nodes as separate processes on loopback, each with its own state directory and token
 * (SoftHSM2 where installed, the development vault otherwise).
 *
 * <p>Start follows the enrolment ceremony: every member's token is provisioned first and its
 * fingerprints read ({@code escrow ... fingerprint}), the nodes pin the coordinator's key,
 * the coordinator pins the nodes' keys, then all members start. The operator token is fresh,
 * written only to {@code operator.token} (0600); the coordinator's configuration holds only
 * its SHA-256.
 */
public final class LocalCluster {
    public static final String OPERATOR_ID = "operator";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final ClusterLayout layout;
    private final PrintStream progress;
    private final SecureRandom random;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ChildProcesses.Jit jit = ChildProcesses.Jit.QUICK_START;
    private MemberNetwork network = MemberNetwork.LOOPBACK;
    /** Runs before each launch attempt with its number and ports (tests take a port, or break a member, there). */
    private LaunchHook beforeLaunch = (attempt, ports) -> { };

    /** What tests do between enrolment and the launch of the members. */
    @FunctionalInterface
    interface LaunchHook {
        void run(int attempt, ClusterPorts ports) throws Exception;
    }

    /** For tests: {@code hook} runs before each launch attempt. */
    LocalCluster beforeLaunch(LaunchHook hook) {
        this.beforeLaunch = hook;
        return this;
    }

    public LocalCluster(Path dir, PrintStream progress) throws Exception {
        this.layout = new ClusterLayout(dir);
        this.progress = progress;
        this.random = SecureRandom.getInstance("DRBG");
    }

    /** Members started from now on compile as {@code jit} says (benchmarks want {@code STEADY_STATE}). */
    public LocalCluster withJit(ChildProcesses.Jit jit) {
        this.jit = jit;
        return this;
    }

    /** Members started from now on live where {@code network} says (the partition harness: namespaces). */
    public LocalCluster withNetwork(MemberNetwork network) {
        this.network = network;
        return this;
    }

    public ClusterLayout layout() {
        return layout;
    }

    /** Every member the cluster in {@code layout} recorded, alive or not. */
    public static List<MemberProcess> recorded(ClusterLayout layout) throws IOException {
        return ProcessRecords.read(layout.processes());
    }

    /** Members of this directory's cluster whose processes are alive. */
    public List<MemberProcess> running() throws IOException {
        List<MemberProcess> alive = new ArrayList<>();
        for (MemberProcess m : ProcessRecords.read(layout.processes())) {
            if (ProcessRecords.live(m).isPresent()) {
                alive.add(m);
            }
        }
        return alive;
    }

    /** What {@code start} reports: which token backend it used and the members it started. */
    public record Started(String backend, String coordinatorUrl, List<MemberProcess> members) {
    }

    /**
     * Starts a cluster of {@code nodes} nodes and a coordinator; returns once every member
     * answers {@code GET /v1/health/ready} with 200 (token, journal, cluster and pins checked)
     * and the coordinator sees every node in the cluster. On any failure everything started is
     * stopped again.
     */
    public Started start(int nodes, boolean softwareVault) throws Exception {
        PrivateFiles.createDirectories(layout.dir());
        Optional<SoftHsm> softHsm = softwareVault ? Optional.empty() : SoftHsm.find();
        String backend = softHsm.isPresent() ? "SoftHSM2 tokens (" + softHsm.get().library() + ")"
                : "the development software vault" + (softwareVault ? " (asked for)" : " (libsofthsm2.so not found)");
        progress.println("tokens: " + backend);
        List<String> ids = new ArrayList<>();
        ids.add(ClusterLayout.COORDINATOR);
        for (int i = 1; i <= nodes; i++) {
            ids.add(ClusterLayout.nodeId(i));
        }
        ClusterPorts ports = ClusterPorts.pick(ids, network);
        Map<String, Map<String, String>> environments = new LinkedHashMap<>();
        MemberTokens secrets = new MemberTokens(layout, random);
        MemberConfigs configs = new MemberConfigs(layout, ids, "escrow-dev-" + HexFormat.of().formatHex(
                secrets.randomBytes(6)), secrets.provision(ids, softHsm, environments),
                new CoordinatorConfigFile.Operator(OPERATOR_ID, secrets.newOperatorTokenHash()));
        MemberIdentity identity = new MemberIdentity(http, enrol(ids, configs, ports, environments));
        for (int attempt = 1; ; attempt++) {
            try {
                beforeLaunch.run(attempt, ports);
                List<MemberProcess> started = launch(ids, ports, environments, identity);
                writeClusterJson(started);
                return new Started(backend, started.get(0).url(), started); // the coordinator launches first
            } catch (PortTakenException e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IOException(e.getMessage() + "; gave up after " + attempt + " attempts with fresh ports");
                }
                progress.println(e.getMessage() + "; starting again with fresh ports");
                ports = ClusterPorts.pick(ids, network);
                configs.writeAll(ports);
            }
        }
    }

    /**
     * The enrolment: the coordinator's key first (the nodes pin it), then every node's keys (the
     * coordinator pins them), read from each member's {@code fingerprint} command. Returns each
     * node's identity public key.
     */
    private Map<String, String> enrol(List<String> ids, MemberConfigs configs, ClusterPorts ports,
            Map<String, Map<String, String>> environments) throws Exception {
        configs.writeCoordinator(ports);
        String coordinatorOut = ChildProcesses.run(List.of("coordinator", "fingerprint", "--config",
                layout.config(ClusterLayout.COORDINATOR).toString()), environments.get(ClusterLayout.COORDINATOR));
        configs.pinCoordinator(field(coordinatorOut, "identity public key"));
        progress.println("coordinator key: identity " + field(coordinatorOut, "identity "));
        Map<String, String> identities = new LinkedHashMap<>();
        for (String id : ids.subList(1, ids.size())) {
            configs.writeNode(id, ports);
            String out = ChildProcesses.run(List.of("node", "fingerprint", "--config", layout.config(id).toString()),
                    environments.get(id));
            identities.put(id, field(out, "identity public key"));
            configs.enrol(id, field(out, "identity public key"), field(out, "transport public key"));
            progress.println("enrolled " + id + ": identity " + field(out, "identity ") + ", transport "
                    + field(out, "transport "));
        }
        configs.writeCoordinator(ports);
        return identities;
    }

    /** How many sets of ports a start tries before it gives up (another process taking one is rare). */
    private static final int PORT_ATTEMPTS = 3;

    /**
     * Starts every member on {@code ports} and returns once each answers ready as itself and is
     * still alive; on any failure stops what it started and throws, naming the member and why.
     *
     * @throws PortTakenException another process had one of the ports: worth trying again
     */
    private List<MemberProcess> launch(List<String> ids, ClusterPorts ports, Map<String, Map<String, String>> environments,
            MemberIdentity identity) throws Exception {
        List<MemberProcess> started = new ArrayList<>();
        try {
            // the coordinator first, so that it is the cluster every node joins (no two clusters forming at once)
            for (String id : ids) {
                String kind = id.equals(ClusterLayout.COORDINATOR) ? "coordinator" : "node";
                Path pidFile = layout.memberDir(id).resolve("pid");
                Files.deleteIfExists(pidFile);
                Map<String, String> environment = new java.util.HashMap<>(environments.get(id));
                environment.putAll(network.environment(id));
                Process launcher = ChildProcesses.startInBackground(network.launchPrefix(id), List.of(kind, "start",
                        "--config", layout.config(id).toString(), "--pid-file", pidFile.toString()), environment,
                        layout.log(id), jit);
                long pid = awaitPid(pidFile, launcher, id);
                started.add(new MemberProcess(id, pid, MemberProcess.startTimeOf(pid), layout.config(id),
                        network.driverUrl(id, ports.url(id))));
                ProcessRecords.write(layout.processes(), started);
                if (id.equals(ClusterLayout.COORDINATOR)) {
                    awaitReady(started, identity);
                }
            }
            awaitReady(started, identity);
            // a member that died after it answered (a node that lost its port to another process late) fails the start
            for (MemberProcess m : started) {
                if (ProcessRecords.live(m).isEmpty()) {
                    throw died(m);
                }
            }
            return started;
        } catch (Exception e) {
            stop(started);
            throw e;
        }
    }

    /** The member's process is gone: why, from its log, as a port conflict when it lost its port. */
    private IOException died(MemberProcess m) {
        String tail = tail(layout.log(m.id()), 5);
        String message = m.id() + " exited during start; the end of " + layout.log(m.id()) + ":\n" + tail;
        return tail.contains("Address already in use") || tail.contains("BindException")
                ? new PortTakenException(m.id() + " could not bind its port (another process took it)")
                : new IOException(message);
    }

    /** Another process took a port this start had picked for a member. */
    private static final class PortTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        PortTakenException(String message) {
            super(message);
        }
    }

    private void writeClusterJson(List<MemberProcess> members) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        ArrayNode nodes = JSON.createArrayNode();
        for (MemberProcess m : members) {
            if (m.id().equals(ClusterLayout.COORDINATOR)) {
                json.put("coordinator", m.url());
            } else {
                nodes.addObject().put("id", m.id()).put("url", m.url());
            }
        }
        json.set("nodes", nodes);
        json.put("operatorTokenFile", layout.operatorToken().toString());
        writeJson(layout.clusterJson(), json);
    }

    /** The member's own process id, from the file it writes first thing (setsid may have forked it). */
    private long awaitPid(Path pidFile, Process launcher, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pidFile)) {
            if (System.nanoTime() > deadline || (!launcher.isAlive() && launcher.exitValue() != 0)) {
                throw new IOException(id + " did not start; the end of " + layout.log(id) + ":\n"
                        + tail(layout.log(id), 5));
            }
            Thread.sleep(50);
        }
        return Long.parseLong(Files.readString(pidFile).trim());
    }

    /**
     * Waits until each member answers {@code /v1/health/ready} with 200 <em>as itself</em>: a
     * server of another cluster that took the member's port would answer ready too (that is how
     * a start once returned while a node had died).
     */
    private void awaitReady(List<MemberProcess> members, MemberIdentity identity) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        for (MemberProcess m : members) {
            while (!healthy(m.url())) {
                if (ProcessRecords.live(m).isEmpty()) {
                    throw died(m);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(m.id() + " was not ready (GET /v1/health/ready) within "
                            + START_TIMEOUT.toSeconds() + " s; see " + layout.log(m.id()));
                }
                Thread.sleep(200);
            }
            if (!identity.answersAsItself(m)) {
                if (ProcessRecords.live(m).isEmpty()) {
                    throw died(m);
                }
                throw new PortTakenException("another server answers on " + m.url() + ", the port of " + m.id());
            }
        }
    }

    private void awaitHealthy(List<MemberProcess> members) throws Exception {
        awaitHealthy(members, START_TIMEOUT);
    }

    private void awaitHealthy(List<MemberProcess> members, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        for (MemberProcess m : members) {
            while (!healthy(m.url())) {
                if (ProcessRecords.live(m).isEmpty()) {
                    throw died(m);
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException(m.id() + " was not ready (GET /v1/health/ready) within "
                            + within.toSeconds() + " s; see " + layout.log(m.id()));
                }
                Thread.sleep(200);
            }
        }
    }

    private static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    /** Whether {@code url} answers {@code GET /v1/health/ready} with 200: up and ready to serve. */
    public boolean healthy(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts a recorded member again (after it died or was killed) with its configuration,
     * token environment and log, and returns once it answers {@code /v1/health/ready}.
     */
    public MemberProcess restart(String id) throws Exception {
        return restart(id, Map.of());
    }

    /** As {@link #restart(String)}, with extra environment variables (crash tests name a crash point). */
    public MemberProcess restart(String id, Map<String, String> extraEnvironment) throws Exception {
        return restart(id, extraEnvironment, START_TIMEOUT);
    }

    /**
     * As {@link #restart(String, Map)}, but gives up after {@code readyWithin} (the chaos suite
     * expects some restarts to be refused, and does not wait the full start timeout for them).
     */
    public MemberProcess restart(String id, Map<String, String> extraEnvironment, Duration readyWithin)
            throws Exception {
        List<MemberProcess> recorded = new ArrayList<>(ProcessRecords.read(layout.processes()));
        MemberProcess old = recorded.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IOException("no member " + id + " in " + layout.processes()));
        if (ProcessRecords.live(old).isPresent()) {
            throw new IOException(id + " is still running");
        }
        Path conf = layout.memberDir(id).resolve("softhsm2.conf");
        Map<String, String> environment = new java.util.HashMap<>(Files.exists(conf) ? SoftHsm.environment(conf)
                : Map.of());
        environment.putAll(network.environment(id));
        environment.putAll(extraEnvironment);
        Path pidFile = layout.memberDir(id).resolve("pid");
        Files.deleteIfExists(pidFile);
        String kind = id.equals(ClusterLayout.COORDINATOR) ? "coordinator" : "node";
        Process launcher = ChildProcesses.startInBackground(network.launchPrefix(id), List.of(kind, "start", "--config",
                old.config().toString(), "--pid-file", pidFile.toString()), environment, layout.log(id), jit);
        long pid = awaitPid(pidFile, launcher, id);
        MemberProcess restarted = new MemberProcess(id, pid, MemberProcess.startTimeOf(pid), old.config(), old.url());
        recorded.replaceAll(m -> m.id().equals(id) ? restarted : m);
        ProcessRecords.write(layout.processes(), recorded);
        awaitHealthy(List.of(restarted), readyWithin);
        return restarted;
    }

    /** The live process of the recorded member {@code id}, if it runs. */
    public Optional<ProcessHandle> process(String id) throws IOException {
        for (MemberProcess m : ProcessRecords.read(layout.processes())) {
            if (m.id().equals(id)) {
                return ProcessRecords.live(m);
            }
        }
        return Optional.empty();
    }

    /** Kills a member as {@code kill -9} does and waits until it is gone. */
    public void kill(String id) throws IOException {
        for (MemberProcess m : ProcessRecords.read(layout.processes())) {
            if (m.id().equals(id)) {
                ProcessRecords.live(m).ifPresent(p -> {
                    p.destroyForcibly();
                    p.onExit().join();
                });
            }
        }
    }

    /** Stops one member as {@code stopAll} does (SIGTERM: it leaves the cluster in good order) and waits. */
    public void stop(String id) throws IOException {
        List<MemberProcess> one = new ArrayList<>();
        for (MemberProcess m : ProcessRecords.read(layout.processes())) {
            if (m.id().equals(id)) {
                one.add(m);
            }
        }
        stop(one);
    }

    /** Stops every recorded member of this directory's cluster: SIGTERM, then SIGKILL after 20 s. */
    public int stopAll() throws IOException {
        return stop(ProcessRecords.read(layout.processes()));
    }

    private int stop(List<MemberProcess> members) {
        List<ProcessHandle> handles = new ArrayList<>();
        for (MemberProcess m : members) {
            ProcessRecords.live(m).ifPresent(p -> {
                p.destroy();
                handles.add(p);
            });
        }
        for (ProcessHandle p : handles) {
            try {
                p.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        return handles.size();
    }

    private static String field(String output, String label) throws IOException {
        for (String line : output.split("\n")) {
            if (line.startsWith(label)) {
                return line.substring(label.length()).trim();
            }
        }
        throw new IOException("no '" + label.trim() + "' in the fingerprint output");
    }


    private static void writeJson(Path file, ObjectNode json) throws IOException {
        PrivateFiles.replace(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
    }
}
