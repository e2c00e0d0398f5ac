package dev.keyescrow.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network partitions of a real cluster, each member in its own network namespace (root: CI
 * runs as root). The run asserts what a partition must and must not allow, then the chaos
 * checker's invariants on the journals; this test also checks that nothing of the run's
 * network is left behind.
 */
class PartitionTest {
    @TempDir(cleanup = CleanupMode.ON_SUCCESS) // a failed run's logs stay for the reader
    Path dir;

    @Test
    void aSplitOrIsolationCompletesOnlyWithTheCoordinatorAndTHoldersAndEverythingConvergesAfterTheHeal()
            throws Exception {
        Assumptions.assumeTrue(NetworkNamespaces.possible() || System.getenv("CI") != null,
                "network namespaces need root, ip and socat");
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        List<String> members = List.of("coordinator", "node-1", "node-2", "node-3", "node-4", "node-5");
        PartitionReport report;
        String namespace;
        try (NetworkNamespaces network = new NetworkNamespaces(members)) {
            namespace = network.namespace("coordinator");
            try {
                report = new PartitionRun(cluster, network, System.out).run(false);
            } finally {
                cluster.stopAll();
            }
        }
        System.out.println(report.render());
        assertEquals(List.of(), report.violations(), "invariant violations");
        assertTrue(report.figures().size() >= 9, "every step measured: " + report.render());
        Process list = new ProcessBuilder("/usr/sbin/ip", "netns", "list").start();
        String left = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        list.waitFor();
        assertTrue(!left.contains(namespace.substring(0, namespace.length() - "coordinator".length())),
                "the run's namespaces are gone: " + left);
    }
}
