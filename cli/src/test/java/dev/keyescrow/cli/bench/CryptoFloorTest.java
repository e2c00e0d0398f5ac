package dev.keyescrow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class CryptoFloorTest {
    @Test
    void everyFloorRoundRebuildsTheKeyThroughReleasesAndOpens() throws Exception {
        // measure() throws if a round's combine does not give back the split key
        try (CryptoFloor floor = new CryptoFloor(SecureRandom.getInstance("DRBG"))) {
            assertTrue(floor.measure(1, 3) > 0, "a round costs CPU time");
        }
    }

    @Test
    void percentilesAreNearestRankOverTheMeasuredLatencies() {
        long[] latencies = new long[100];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = (100 - i) * 1_000_000L;
        }
        QuorumLoad.Phase phase = new QuorumLoad.Phase(100, 5_000_000_000L, 2_000_000_000L, 300_000_000L,
                500_000_000L, latencies, java.util.List.of());
        assertEquals(50.0, phase.percentileMillis(50));
        assertEquals(99.0, phase.percentileMillis(99));
        assertEquals(20.0, phase.throughput());
        assertEquals(20.0, phase.memberCpuMillisPerReconstruction());
        assertEquals(5.0, phase.loadCpuMillisPerReconstruction());
        assertEquals(3.0, phase.memberJitMillisPerReconstruction());
        assertTrue(Double.isNaN(new QuorumLoad.Phase(1, 1, 1, -1, 1, new long[] {1}, java.util.List.of())
                .memberJitMillisPerReconstruction()), "unknown JIT time stays unknown");
    }

    /** This JVM's own compiler threads have run by now, so /proc (on Linux) shows some of their time. */
    @Test
    void jitCpuReadsThisJvmsCompilerThreads() {
        java.util.OptionalLong jit = JitCpu.nanos(java.util.List.of(ProcessHandle.current().pid()));
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
            assertTrue(jit.isPresent() && jit.getAsLong() > 0, String.valueOf(jit));
        } else {
            assertTrue(jit.isEmpty());
        }
    }
}
