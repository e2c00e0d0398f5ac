package dev.keyescrow.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final ObjectMapper JSON = new ObjectMapper();

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
    ArrayNode members(List<String> ids) {
        ArrayNode members = JSON.createArrayNode();
        ids.forEach(id -> members.add(hosts.get(id) + ":" + cluster.get(id)));
        return members;
    }

    /** Sets {@code id}'s ports and join list in its configuration. */
    void apply(String id, List<String> ids, ObjectNode config, String clusterName) {
        config.putObject("http").put("host", hosts.get(id)).put("port", http.get(id));
        config.putObject("cluster").put("name", clusterName).put("bind", hosts.get(id)).put("port", cluster.get(id))
                .set("members", members(ids));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
