package dev.keyescrow.server.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Where the member binds and whom it joins: a cluster name, a private interface and port,
 * and the TCP-IP member list (multicast is never used).
 */
public record ClusterSettings(String clusterName, String bindAddress, int port, List<String> members) {
    public ClusterSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (clusterName.isBlank()) {
            throw new IllegalArgumentException("cluster name must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("cluster port " + port + " is invalid: must be in [0, 65535]");
        }
        members = List.copyOf(members);
    }
}
