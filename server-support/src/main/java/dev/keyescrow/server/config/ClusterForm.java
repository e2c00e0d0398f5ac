package dev.keyescrow.server.config;

import dev.keyescrow.server.cluster.ClusterSettings;
import java.util.List;

/**
 * The {@code cluster} object of a server's configuration: the Hazelcast cluster name, the
 * member's private interface and port, and the members it joins ({@code members} may be left
 * out: none).
 */
public record ClusterForm(String name, String bind, Integer port, List<String> members) {
    public ClusterForm {
        Settings.require(name, "cluster.name");
        Settings.require(bind, "cluster.bind");
        Settings.requirePort(port, "cluster.port");
        if (members != null) {
            for (String m : members) {
                Settings.require(m, "cluster.members[]");
            }
            members = List.copyOf(members);
        }
    }

    /** The settings the member joins its cluster with. */
    public ClusterSettings settings() {
        try {
            return new ClusterSettings(name, bind, port, members == null ? List.of() : members);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cluster: " + e.getMessage(), e);
        }
    }
}
