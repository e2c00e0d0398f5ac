package dev.keyescrow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIGN load of {@code escrow bench quorum --operation SIGN} against a real local cluster
 * (5 node processes with their tokens, a coordinator): a few SIGN requests, each signature
 * checked with the JDK's Ed25519 (the load throws otherwise), and numbers reported for every
 * one, the hops included. Nothing here is timed.
 */
class QuorumLoadSignTest {
    @TempDir
    Path dir;

    @Test
    void signRequestsCompleteWithVerifiedSignaturesAndEveryHopIsRead() throws Exception {
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        QuorumLoad load = new QuorumLoad(cluster, QuorumLoad.Operation.SIGN);
        try {
            load.prepare(false);
            QuorumLoad.Phase phase = load.run(3, 1, 0);
            assertEquals(3, phase.reconstructions());
            assertTrue(Arrays.stream(phase.latencies()).allMatch(l -> l > 0), "every request has a latency");
            assertTrue(phase.memberCpuNanos() > 0, "the members spent CPU on the signatures");
            HopBreakdown.Result hops = load.hops(phase);
            assertEquals(0, hops.incomplete(), "every SIGN has its approvals, both rounds and EXECUTED journaled");
            assertEquals(3, hops.rows().size());
            assertEquals(HopBreakdown.SIGN_HOPS, hops.hops());
            for (long[] row : hops.rows()) {
                assertTrue(Arrays.stream(row, 1, 8).allMatch(h -> h >= 0), "hops follow each other: "
                        + Arrays.toString(row));
            }
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            hops.print(new PrintStream(text, true, StandardCharsets.UTF_8));
            assertTrue(text.toString(StandardCharsets.UTF_8).contains("per-hop breakdown (3 signatures;"),
                    text.toString(StandardCharsets.UTF_8));
        } finally {
            load.close();
            cluster.stopAll();
        }
    }
}
