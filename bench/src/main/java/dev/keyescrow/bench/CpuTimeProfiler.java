package dev.keyescrow.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds to each iteration its operations per second of the benchmark JVM's CPU time
 * ({@code cpu.ops}), beside JMH's operations per second of wall-clock time.
 *
 * <p>Why: on a two-core machine shared with other builds, the benchmark thread is descheduled
 * for a varying share of each iteration, which wall-clock throughput counts as slowness.
 * Process CPU time counts only the time this JVM ran, its GC and JIT threads included (so an
 * allocation-heavy library still pays for its garbage); it is not immune to cache pollution by
 * neighbours, but it is far steadier. On a quiet machine the two agree to within GC's share.
 */
public final class CpuTimeProfiler implements InternalProfiler {
    static final String LABEL = "cpu.ops";

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtStart;

    @Override
    public String getDescription() {
        return "operations per second of the benchmark JVM's process CPU time";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        cpuAtStart = os.getProcessCpuTime();
    }

    @Override
    @SuppressWarnings("rawtypes") // the interface's own signature
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpuNanos = os.getProcessCpuTime() - cpuAtStart;
        long ops = result.getMetadata().getMeasuredOps();
        if (cpuNanos <= 0 || ops <= 0) {
            return List.of();
        }
        return List.of(new ScalarResult(LABEL, ops / (cpuNanos / 1e9), "ops/cpu-s", AggregationPolicy.AVG));
    }
}
