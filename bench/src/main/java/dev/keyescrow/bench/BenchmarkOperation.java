package dev.keyescrow.bench;

/** The benchmark methods the comparison reads back from JMH's results, by their JMH names. */
enum BenchmarkOperation {
    SPLIT(SplitBenchmark.class, "split", "split"),
    COMBINE(CombineBenchmark.class, "combine", "combine"),
    DRBG_DRAWS(DrbgBenchmark.class, "drawsOfOneSplit", "DRBG draws of our split"),
    KERNEL_SPLIT(KernelBenchmark.class, "kernelSplit", "our kernel split"),
    KERNEL_INTERPOLATE(KernelBenchmark.class, "kernelInterpolate", "our kernel interpolate");

    private final String benchmark;
    private final String label;

    BenchmarkOperation(Class<?> type, String method, String label) {
        this.benchmark = type.getName() + "." + method;
        this.label = label;
    }

    String benchmark() {
        return benchmark;
    }

    String label() {
        return label;
    }
}
