package dev.keyescrow.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The dudect-style timing report: Welch's t between all-zero and random secret inputs for the
 * core's GF(2^8) multiply and for combine, with a deliberately leaky table multiply as a
 * control in the same run.
 *
 * <p>A report, not a gate: |t| above 4.5 suggests the two classes are told apart by timing,
 * below it there is no evidence of a leak at this sample size, which is not a proof of
 * constant time. JIT decisions, interrupts and the other core's load all move the figures; the
 * control shows whether the setup can see a leak at all.
 *
 * <p>Usage: {@code TimingReport [measurements-per-probe] [seed]}, default 1,000,000 and a
 * seed from the clock (printed).
 */
public final class TimingReport {
    private static final double THRESHOLD = 4.5;

    private TimingReport() {
    }

    public static void main(String[] args) {
        long measurements = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 1_000_000L;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : System.nanoTime();
        int slots = Dudect.BATCH;
        List<TimingProbe> probes = List.of(
                MultiplyProbe.ours(slots),
                MultiplyProbe.leakyControl(slots),
                CombineProbe.secretZero(slots),
                CombineProbe.sharesZero(slots));
        PrintStream out = System.out;
        String before = MachineLoad.describe();
        out.printf(Locale.ROOT, "Timing report: %,d timed calls per probe after %,d warm-up calls, classes"
                + " chosen at random (seed %d); %s%n", measurements, (long) Dudect.WARMUP_BATCHES * Dudect.BATCH,
                seed, System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
        out.println();
        out.println("| probe | calls (zero / random) | mean ns ≤ p99.2, zero | mean ns ≤ p99.2, random "
                + "| \\|t\\| all samples | max \\|t\\| over crops | at | dudect reading |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: | --- | --- |");
        Dudect dudect = new Dudect(measurements, seed);
        for (TimingProbe probe : probes) {
            Dudect.Result result = dudect.run(probe);
            WelchAccumulator p99 = result.cropped()[6];
            double max = result.maxAbsT();
            out.printf(Locale.ROOT, "| %s | %,d / %,d | %.1f | %.1f | %.2f | %.2f | %s | %s |%n", result.probe(),
                    result.uncropped().count(0), result.uncropped().count(1), p99.mean(0), p99.mean(1),
                    Math.abs(result.uncropped().t()), max, result.maxAt(),
                    max > THRESHOLD ? "leak suggested (> 4.5)" : "no evidence at this N (≤ 4.5)");
            out.flush();
        }
        out.println();
        out.printf(Locale.ROOT, "(sink %08x; |t| > %.1f suggests a timing leak; a report, not a gate)%n",
                dudect.sink(), THRESHOLD);
        out.println("Before the run: " + before);
        out.println("After the run:  " + MachineLoad.describe());
    }
}
