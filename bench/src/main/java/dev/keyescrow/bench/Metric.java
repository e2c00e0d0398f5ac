package dev.keyescrow.bench;

/**
 * Which clock a score is per: JMH's own wall-clock throughput, or throughput per second of
 * the benchmark JVM's CPU time ({@link CpuTimeProfiler}), the steadier one on a shared machine.
 */
enum Metric {
    CPU("CPU time"),
    WALL("wall-clock time");

    private final String label;

    Metric(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }
}
