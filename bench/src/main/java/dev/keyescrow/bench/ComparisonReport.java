package dev.keyescrow.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * Turns JMH's results into the tables of {@code docs/performance.md}: every score with its
 * error, by wall-clock and by CPU time; the ratios ours/Bouncy Castle and ours/codahale against
 * the targets (met or missed on the point estimate, with the interval the errors
 * allow); and how our split's time divides between the DRBG and the arithmetic. Printed as
 * Markdown so it can be pasted as is.
 */
final class ComparisonReport {
    private static final double MB = 1_000_000.0;

    private final Map<String, Score> scores = new HashMap<>();

    ComparisonReport(Collection<RunResult> results) {
        for (RunResult run : results) {
            BenchmarkParams params = run.getParams();
            String benchmark = params.getBenchmark();
            String library = params.getParam("library");
            String shape = params.getParam("shape");
            Result<?> wall = run.getPrimaryResult();
            scores.put(key(Metric.WALL, benchmark, library, shape), new Score(wall.getScore(), wall.getScoreError()));
            Result<?> cpu = run.getSecondaryResults().get(CpuTimeProfiler.LABEL);
            if (cpu != null) {
                scores.put(key(Metric.CPU, benchmark, library, shape), new Score(cpu.getScore(), cpu.getScoreError()));
            }
        }
    }

    private static String key(Metric metric, String benchmark, String library, String shape) {
        return metric + "|" + benchmark + "|" + library + "|" + shape;
    }

    /** The score in the row's unit (MB/s for 1 MiB, ops/s otherwise), or null if not run. */
    private Score score(Metric metric, BenchmarkOperation operation, Library library, Shape shape) {
        Score raw = scores.get(key(metric, operation.benchmark(), library == null ? null : library.name(),
                shape.name()));
        if (raw == null || !shape.reportsThroughput()) {
            return raw;
        }
        return raw.scaled(shape.length() / MB);
    }

    private static String unit(Shape shape) {
        return shape.reportsThroughput() ? "MB/s" : "ops/s";
    }

    /** The targets, as a multiple of Bouncy Castle's figure in the same run. */
    static double targetOverBouncyCastle(BenchmarkOperation operation, Shape shape) {
        boolean large = shape.reportsThroughput();
        if (operation == BenchmarkOperation.SPLIT) {
            return large ? 20.0 : 8.0;
        }
        return large ? 6.0 : 2.5;
    }

    void print(PrintStream out) {
        out.println();
        out.println("## Results (± : JMH's 99.9% interval half-width; CPU time = per second of the benchmark"
                + " JVM's CPU time)");
        out.println();
        out.println("| operation | secret | library | CPU time | ± | wall clock | ± | unit |");
        out.println("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
        for (BenchmarkOperation operation : new BenchmarkOperation[] {BenchmarkOperation.SPLIT, BenchmarkOperation.COMBINE}) {
            for (Shape shape : Shape.values()) {
                for (Library library : Library.values()) {
                    row(out, operation, shape, library, library.label());
                }
            }
        }
        for (BenchmarkOperation operation : new BenchmarkOperation[] {
            BenchmarkOperation.DRBG_DRAWS, BenchmarkOperation.KERNEL_SPLIT, BenchmarkOperation.KERNEL_INTERPOLATE}) {
            for (Shape shape : Shape.values()) {
                row(out, operation, shape, null, "reference");
            }
        }
        for (Metric metric : Metric.values()) {
            printRatios(out, metric);
        }
        printSplitBreakdown(out);
    }

    private void row(PrintStream out, BenchmarkOperation operation, Shape shape, Library library, String who) {
        Score wall = score(Metric.WALL, operation, library, shape);
        if (wall == null) {
            return;
        }
        Score cpu = score(Metric.CPU, operation, library, shape);
        out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", operation.label(), shape.label(), who,
                cpu == null ? "n/a" : Score.format(cpu.value()), cpu == null ? "n/a" : Score.format(cpu.error()),
                Score.format(wall.value()), Score.format(wall.error()), unit(shape));
    }

    private void printRatios(PrintStream out, Metric metric) {
        out.println();
        out.println("## Ratios by " + metric.label() + " (ours / other [interval allowed by both errors])");
        out.println();
        out.println("| operation | secret | ours / BC | target | vs target | ours / codahale | target | vs target |");
        out.println("| --- | --- | ---: | ---: | --- | ---: | ---: | --- |");
        for (BenchmarkOperation operation : new BenchmarkOperation[] {BenchmarkOperation.SPLIT, BenchmarkOperation.COMBINE}) {
            for (Shape shape : Shape.values()) {
                Score ours = score(metric, operation, Library.OURS, shape);
                if (ours == null) {
                    continue;
                }
                out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", operation.label(), shape.label(),
                        verdict(ours, score(metric, operation, Library.BOUNCY_CASTLE, shape),
                                targetOverBouncyCastle(operation, shape)),
                        verdict(ours, score(metric, operation, Library.CODAHALE, shape), 1.0));
            }
        }
    }

    private static String verdict(Score ours, Score other, double target) {
        String goal = String.format(Locale.ROOT, "≥ %.1f×", target);
        if (other == null) {
            return "not run | " + goal + " | n/a";
        }
        double ratio = ours.value() / other.value();
        double[] interval = ours.ratioInterval(other);
        String shown = String.format(Locale.ROOT, "%.2f×", ratio);
        if (interval != null) {
            shown += String.format(Locale.ROOT, " [%.2f, %.2f]", interval[0], interval[1]);
        }
        String met = ratio >= target ? "**met**" : "**MISSED**";
        if (interval != null && interval[0] < target && target <= interval[1]) {
            met += " (within error)";
        }
        return shown + " | " + goal + " | " + met;
    }

    private void printSplitBreakdown(PrintStream out) {
        out.println();
        out.println("## Where our time goes (by CPU time; each reference row's time as a share of one full"
                + " operation's time)");
        out.println();
        out.println("| secret | our split | DRBG draws alone | kernel split alone | rest of split "
                + "| our combine | kernel interpolate alone | rest of combine |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Shape shape : Shape.values()) {
            Score split = score(Metric.CPU, BenchmarkOperation.SPLIT, Library.OURS, shape);
            Score drbg = score(Metric.CPU, BenchmarkOperation.DRBG_DRAWS, null, shape);
            Score kernelSplit = score(Metric.CPU, BenchmarkOperation.KERNEL_SPLIT, null, shape);
            Score combine = score(Metric.CPU, BenchmarkOperation.COMBINE, Library.OURS, shape);
            Score kernelInterpolate = score(Metric.CPU, BenchmarkOperation.KERNEL_INTERPOLATE, null, shape);
            if (split == null || drbg == null || kernelSplit == null || combine == null
                    || kernelInterpolate == null) {
                continue;
            }
            // time per operation is 1 / throughput, so a part's share of split is split / part
            double drbgShare = split.value() / drbg.value();
            double kernelShare = split.value() / kernelSplit.value();
            double interpolateShare = combine.value() / kernelInterpolate.value();
            out.printf(Locale.ROOT, "| %s | %s %s | %.0f%% | %.0f%% | %.0f%% | %s %s | %.0f%% | %.0f%% |%n",
                    shape.label(), Score.format(split.value()), unit(shape), 100 * drbgShare, 100 * kernelShare,
                    100 * (1 - drbgShare - kernelShare), Score.format(combine.value()), unit(shape),
                    100 * interpolateShare, 100 * (1 - interpolateShare));
        }
    }
}
