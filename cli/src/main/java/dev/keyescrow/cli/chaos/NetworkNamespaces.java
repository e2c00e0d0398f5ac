package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.cluster.MemberNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A private network for a local cluster: each member in a Linux network namespace of its own,
 * joined by a veth pair to a bridge in a hub namespace that this run creates. Nothing of the
 * host's network is touched: the veth pairs are created inside the hub and member namespaces,
 * and the addresses (198.18.0.0/24, the range set aside for network tests) exist only there.
 *
 * <p>Faults: {@link #isolate} sets the hub end of a member's veth down (the member is alone;
 * its own address still answers inside its namespace), {@link #split} moves members to a second
 * bridge (two sides, each connected within itself), {@link #healAll} puts every member back on
 * the first bridge, link up.
 *
 * <p>Names carry this process's id ({@code kepart<pid>x<hex>-...}), so a run that finds
 * namespaces of a process that no longer exists removes them (and ends the processes left in
 * them) before it starts; a shutdown hook removes this run's on any exit of the JVM.
 */
public final class NetworkNamespaces implements MemberNetwork, AutoCloseable {
    private static final String PREFIX = "kepart";
    private static final Pattern OURS = Pattern.compile("^(" + PREFIX + "(\\d+)x[0-9a-f]+-\\S+)");

    private final String run;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    private final Path sockets;
    private final List<Process> socats = new ArrayList<>();
    private final List<UnixForwarder> forwarders = new ArrayList<>();
    private final Thread cleanupHook;
    private boolean closed;
    private boolean filtering;
    private Map<String, String> memberEnvironment = Map.of();

    /** Whether this machine lets us make namespaces ({@code ip} as root) and forward into them ({@code socat}). */
    public static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/ip"))
                && (Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat")));
    }

    public NetworkNamespaces(List<String> memberIds) throws IOException, InterruptedException {
        removeLeftovers();
        byte[] r = new byte[3];
        new SecureRandom().nextBytes(r);
        this.run = PREFIX + ProcessHandle.current().pid() + "x" + HexFormat.of().formatHex(r);
        this.sockets = Files.createTempDirectory("kep");
        this.cleanupHook = new Thread(this::closeQuietly, "namespaces-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
        try {
            ip("netns", "add", hub());
            ip("-n", hub(), "link", "set", "lo", "up");
            for (String bridge : List.of("br0", "br1")) {
                ip("-n", hub(), "link", "add", bridge, "type", "bridge");
                ip("-n", hub(), "link", "set", bridge, "up");
            }
            int i = 0;
            for (String id : memberIds) {
                index.put(id, i);
                String ns = namespace(id);
                ip("netns", "add", ns);
                ip("-n", hub(), "link", "add", veth(id), "type", "veth", "peer", "name", "eth0", "netns", ns);
                ip("-n", hub(), "link", "set", veth(id), "master", "br0", "up");
                ip("-n", ns, "addr", "add", address(id) + "/24", "dev", "eth0");
                ip("-n", ns, "link", "set", "eth0", "up");
                ip("-n", ns, "link", "set", "lo", "up");
                i++;
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private String hub() {
        return run + "-hub";
    }

    /** The namespace of member {@code id}. */
    public String namespace(String id) {
        return run + "-" + id;
    }

    private String veth(String id) {
        return "v" + index(id);
    }

    private int index(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no namespace for member " + id);
        }
        return i;
    }

    @Override
    public String address(String id) {
        return "198.18.0." + (10 + index(id));
    }

    /** Every member starts with {@code environment} added to its own. */
    public NetworkNamespaces withMemberEnvironment(Map<String, String> environment) {
        this.memberEnvironment = Map.copyOf(environment);
        return this;
    }

    @Override
    public Map<String, String> environment(String id) {
        return memberEnvironment;
    }

    @Override
    public List<String> launchPrefix(String id) {
        return List.of("/usr/sbin/ip", "netns", "exec", namespace(id));
    }

    /**
     * A {@code socat} in the member's namespace listens on a Unix socket and connects to the
     * member's port; a forwarder in this JVM gives that socket a loopback port here.
     */
    @Override
    public synchronized String driverUrl(String id, String memberUrl) throws IOException {
        java.net.URI uri = java.net.URI.create(memberUrl);
        Path socket = sockets.resolve(index(id) + "-" + uri.getPort() + ".sock");
        if (!Files.exists(socket)) {
            ProcessBuilder builder = new ProcessBuilder("/usr/sbin/ip", "netns", "exec", namespace(id), "socat",
                    "UNIX-LISTEN:" + socket + ",fork,mode=600", "TCP:" + uri.getHost() + ":" + uri.getPort());
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            socats.add(builder.start());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(socket) && System.nanoTime() < deadline) {
                sleep(20);
            }
        }
        UnixForwarder forwarder = new UnixForwarder(socket);
        forwarders.add(forwarder);
        return "http://127.0.0.1:" + forwarder.port();
    }

    /** Cuts member {@code id} off from every other member: the hub end of its veth goes down. */
    public void isolate(String id) throws IOException, InterruptedException {
        ip("-n", hub(), "link", "set", veth(id), "down");
    }

    /** Moves {@code side} to a second bridge: its members reach each other, not the rest. */
    public void split(List<String> side) throws IOException, InterruptedException {
        for (String id : side) {
            ip("-n", hub(), "link", "set", veth(id), "master", "br1");
        }
    }

    /**
     * An asymmetric cut: nothing {@code id} sends crosses the bridge, everything sent to it does
     * (a bridge-family nftables rule in the hub namespace).
     */
    public void dropFrom(String id) throws IOException, InterruptedException {
        if (!filtering) {
            nft("add", "table", "bridge", "cut");
            nft("add", "chain", "bridge", "cut", "out", "{ type filter hook forward priority 0; policy accept; }");
            filtering = true;
        }
        nft("add", "rule", "bridge", "cut", "out", "iifname", veth(id), "drop");
    }

    /** Whether this machine can make asymmetric cuts ({@code nft}). */
    public static boolean canDropOneWay() {
        return Files.isExecutable(Path.of("/usr/sbin/nft"));
    }

    /** Every member back on the first bridge with its link up, and no one-way cut left. */
    public void healAll() throws IOException, InterruptedException {
        if (filtering) {
            nft("flush", "chain", "bridge", "cut", "out");
        }
        for (String id : index.keySet()) {
            ip("-n", hub(), "link", "set", veth(id), "master", "br0");
            ip("-n", hub(), "link", "set", veth(id), "up");
        }
    }

    /**
     * Ends every process left in this run's namespaces (members the cluster did not stop, the
     * forwarders' socats), then removes the namespaces: a member's veth pair goes with its
     * namespace, the bridges with the hub.
     */
    @Override
    public synchronized void close() throws IOException, InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        for (UnixForwarder f : forwarders) {
            f.close();
        }
        for (Process p : socats) {
            p.destroyForcibly();
        }
        List<String> names = new ArrayList<>();
        index.keySet().forEach(id -> names.add(namespace(id)));
        names.add(hub());
        for (String ns : names) {
            remove(ns);
        }
        try (var files = Files.list(sockets)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(sockets);
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is what runs this
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            // best effort while the JVM exits; the next run removes what is left
        }
    }

    /** Removes the namespaces of runs whose process is gone (a run killed before its cleanup). */
    static void removeLeftovers() throws IOException, InterruptedException {
        for (String line : output("/usr/sbin/ip", "netns", "list").split("\n")) {
            Matcher m = OURS.matcher(line.trim());
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                remove(m.group(1));
            }
        }
    }

    private static void remove(String ns) throws IOException, InterruptedException {
        for (String pid : output("/usr/sbin/ip", "netns", "pids", ns).split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        new ProcessBuilder("/usr/sbin/ip", "netns", "delete", ns).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
    }

    private void nft(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("netns", "exec", hub(), "/usr/sbin/nft"));
        command.addAll(List.of(args));
        ip(command.toArray(String[]::new));
    }

    private static void ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("/usr/sbin/ip");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    private static String output(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return p.exitValue() == 0 ? out : "";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
