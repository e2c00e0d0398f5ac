package dev.keyescrow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code escrow bench scale} on a real local cluster (5 node processes with their tokens, a
 * coordinator), at a small size: 12 keys measured at 6 and 12. The report must have every row,
 * paging must have listed every key created, and every process must be gone at the end.
 * Nothing here is timed.
 */
class ScaleBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void aSmallRunReportsEveryRowAndPagingListsEveryKey() throws Exception {
        LocalCluster cluster = new LocalCluster(dir.resolve("cluster"), new PrintStream(OutputStream.nullOutputStream()));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String report;
        try {
            report = ScaleBenchmark.run(cluster, new PrintStream(printed, true, StandardCharsets.UTF_8), false,
                    List.of(6, 12), 2, dir.resolve("out"));
        } finally {
            cluster.stopAll();
        }
        assertEquals(report, Files.readString(dir.resolve("out").resolve(ScaleBenchmark.REPORT_FILE)));
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains(report), "the table is printed too");
        assertTrue(report.contains("| keys on the cluster | 6 | 12 |"), report);
        Matcher paging = Pattern.compile("\\| GET /v1/keys: keys listed, pages, total ms \\| 6, 1, \\d+ \\| 12, 1, \\d+ \\|")
                .matcher(report);
        assertTrue(paging.find(), "paging listed every key created at each size:\n" + report);
        for (String row : List.of("creation rate", "ms per page", "heap after full GC, coordinator",
                "heap after full GC, node-1", "heap after full GC, node-5", "heap per key, coordinator",
                "heap per key, node-3", "release p50 / p99 (ms, 20 USE", "coordinator: clean stop, start to ready",
                "node-1: clean stop, start to ready", "manifest as served")) {
            assertTrue(report.contains(row), "row " + row + " is missing:\n" + report);
        }
        assertEquals(List.of(), cluster.running(), "every member is stopped");
    }

    @Test
    void theHeapFigureIsReadFromJcmdOutput() {
        String g1 = "12345:\n garbage-first heap   total 262144K, used 48213K [0x00000000f0000000, 0x0000000100000000)\n"
                + "  region size 1024K, 3 young (3072K), 0 survivors (0K)\n Metaspace       used 51234K, committed 52000K\n";
        assertEquals(48213L * 1024, MemberHeap.usedBytes(g1));
    }
}
