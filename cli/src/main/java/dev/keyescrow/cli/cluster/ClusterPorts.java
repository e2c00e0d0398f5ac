package dev.keyescrow.cli.cluster;

import dev.keyescrow.server.config.ClusterForm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loopback ports of one start attempt of a development cluster: an HTTP port and a
 * cluster port per member, each free when picked. Another process may take one before the
 * member binds it (two clusters starting at once did); the start then sees the member fail with
 * "Address already in use", or another server answer on its port, and tries again with fresh
 * ports ({@link LocalCluster#start}).
 */
record ClusterPorts(Map<String, Integer> http, Map<String, Integer> cluster, Map<String, String> hosts) {
    static ClusterPorts pick(List<String> ids) throws IOException {
        return pick(ids, MemberNetwork.LOOPBACK);
    }

    /** Ports as {@link #pick(List)}, each member on the address {@code network} gives it. */
    static ClusterPorts pick(List<String> ids, MemberNetwork network) throws IOException {
        Map<String, Integer> http = new LinkedHashMap<>();
        Map<String, Integer> cluster = new LinkedHashMap<>();
        Map<String, String> hosts = new LinkedHashMap<>();
        for (String id : ids) {
            http.put(id, freePort());
            cluster.put(id, freePort());
            hosts.put(id, network.address(id));
        }
        return new ClusterPorts(Map.copyOf(http), Map.copyOf(cluster), Map.copyOf(hosts));
    }

    /** The member's own HTTP URL, on its address (what the other members and its configuration name). */
    String url(String id) {
        return "http://" + hosts.get(id) + ":" + http.get(id);
    }

    /** Every member's cluster address, in {@code ids} order: the join list of every member. */
    List<String> members(List<String> ids) {
        return ids.stream().map(id -> hosts.get(id) + ":" + cluster.get(id)).toList();
    }

    /** The {@code cluster} object of {@code id}'s configuration: its own address and port, and everyone's. */
    ClusterForm cluster(String id, List<String> ids, String clusterName) {
        return new ClusterForm(clusterName, hosts.get(id), cluster.get(id), members(ids));
    }

    /** The address {@code id}'s API binds. */
    String host(String id) {
        return hosts.get(id);
    }

    /** The port {@code id}'s API binds. */
    int httpPort(String id) {
        return http.get(id);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
