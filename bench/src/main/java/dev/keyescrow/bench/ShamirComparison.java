package dev.keyescrow.bench;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the whole comparison in one JMH run (split, combine, and the DRBG and kernel reference
 * rows) and prints the result table and the ratios against the targets, by wall-clock time
 * and by CPU time ({@link CpuTimeProfiler}, always on).
 *
 * <p>Arguments are JMH's own ({@code -f}, {@code -wi}, {@code -i}, {@code -rf json -rff FILE},
 * a benchmark regex, ...); without a regex every benchmark of this package runs, with the
 * fork, warmup and measurement settings their annotations give (about five minutes on two cores).
 */
public final class ShamirComparison {
    private static final String ALL_BENCHMARKS =
            "dev\\.keyescrow\\.bench\\.(Split|Combine|Drbg|Kernel)Benchmark\\.";

    private ShamirComparison() {
    }

    public static void main(String[] args) throws RunnerException, CommandLineOptionException {
        CommandLineOptions commandLine = new CommandLineOptions(args);
        ChainedOptionsBuilder options = new OptionsBuilder().parent(commandLine);
        if (commandLine.getIncludes().isEmpty()) {
            options.include(ALL_BENCHMARKS);
        }
        options.addProfiler(CpuTimeProfiler.class);
        String before = MachineLoad.describe();
        Collection<RunResult> results = new Runner(options.build()).run();
        new ComparisonReport(results).print(System.out);
        System.out.println();
        System.out.println("Before the run: " + before);
        System.out.println("After the run:  " + MachineLoad.describe());
    }
}
