package dev.keyescrow.cli.cluster;

import java.nio.file.Path;

/** Where a local cluster keeps its files under its directory. */
public record ClusterLayout(Path dir) {
    public static final String COORDINATOR = "coordinator";

    public ClusterLayout {
        dir = dir.toAbsolutePath().normalize();
    }

    public Path clusterJson() {
        return dir.resolve("cluster.json");
    }

    public Path operatorToken() {
        return dir.resolve("operator.token");
    }

    public Path processes() {
        return dir.resolve("processes.json");
    }

    public Path memberDir(String id) {
        return dir.resolve(id);
    }

    public Path config(String id) {
        return memberDir(id).resolve(id.equals(COORDINATOR) ? "coordinator.json" : "node.json");
    }

    public Path log(String id) {
        return dir.resolve(id + ".log");
    }

    public static String nodeId(int i) {
        return "node-" + i;
    }
}
