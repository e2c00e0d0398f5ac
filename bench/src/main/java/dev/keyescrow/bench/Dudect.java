package dev.keyescrow.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The dudect method (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017)
 * on the JVM: time many individual calls with {@code System.nanoTime()}, choosing the input
 * class of each call at random, then compare the two classes' timing distributions with
 * Welch's t-test, both on all samples and on samples below each of several percentiles
 * (cropping, which removes interrupts, GC pauses and other long outliers).
 *
 * <p>Inputs are prepared per batch before the batch is timed. The first batches are discarded
 * so the JIT has compiled the operation; the cropping thresholds come from the first batch
 * kept, as in dudect.
 */
final class Dudect {
    static final int BATCH = 10_000;
    static final int WARMUP_BATCHES = 10;
    /** Crop at percentiles 1 - 0.5^(k+1), k = 0..9: 50%, 75%, ..., 99.95% (dudect's formula). */
    static final int CROPS = 10;

    private final long measurements;
    private final long seed;
    private int sink;

    Dudect(long measurements, long seed) {
        this.measurements = measurements;
        this.seed = seed;
    }

    /** What one probe gave: the test on all samples and on each crop. */
    record Result(String probe, WelchAccumulator uncropped, WelchAccumulator[] cropped, double[] percentiles) {

        /**
         * The largest |t| over the uncropped test and every crop (dudect's statistic). A crop
         * holding fewer than two samples of a class has no t and is skipped.
         */
        double maxAbsT() {
            double all = Math.abs(uncropped.t());
            double crop = largestCrop();
            return Double.isNaN(crop) ? all : Math.max(all, crop);
        }

        /** Where the largest |t| was found: "all" or the crop's percentile. */
        String maxAt() {
            double crop = largestCrop();
            if (Double.isNaN(crop) || Math.abs(uncropped.t()) >= crop) {
                return "all";
            }
            for (int k = 0; k < cropped.length; k++) {
                if (Math.abs(cropped[k].t()) == crop) {
                    return String.format(Locale.ROOT, "≤ p%.2f", 100 * percentiles[k]);
                }
            }
            return "all";
        }

        private double largestCrop() {
            double max = Double.NaN;
            for (WelchAccumulator crop : cropped) {
                double t = Math.abs(crop.t());
                if (!Double.isNaN(t) && (Double.isNaN(max) || t > max)) {
                    max = t;
                }
            }
            return max;
        }
    }

    Result run(TimingProbe probe) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] classes = new int[BATCH];
        long[] times = new long[BATCH];
        WelchAccumulator uncropped = new WelchAccumulator();
        WelchAccumulator[] cropped = new WelchAccumulator[CROPS];
        Arrays.setAll(cropped, k -> new WelchAccumulator());
        double[] percentiles = new double[CROPS];
        long[] thresholds = null;
        long kept = 0;
        for (int batch = 0; kept < measurements; batch++) {
            for (int i = 0; i < BATCH; i++) {
                classes[i] = random.nextInt(2);
                probe.prepare(i, classes[i], random);
            }
            for (int i = 0; i < BATCH; i++) {
                long start = System.nanoTime();
                sink ^= probe.run(i);
                times[i] = System.nanoTime() - start;
            }
            if (batch < WARMUP_BATCHES) {
                continue;
            }
            if (thresholds == null) {
                long[] sorted = times.clone();
                Arrays.sort(sorted);
                thresholds = new long[CROPS];
                for (int k = 0; k < CROPS; k++) {
                    percentiles[k] = 1 - Math.pow(0.5, k + 1);
                    thresholds[k] = sorted[(int) Math.min(sorted.length - 1, Math.floor(percentiles[k] * sorted.length))];
                }
            }
            for (int i = 0; i < BATCH; i++) {
                uncropped.add(classes[i], times[i]);
                for (int k = 0; k < CROPS; k++) {
                    if (times[i] < thresholds[k]) {
                        cropped[k].add(classes[i], times[i]);
                    }
                }
            }
            kept += BATCH;
        }
        return new Result(probe.name(), uncropped, cropped, percentiles);
    }

    /** Folded results of every timed call, so the JIT cannot drop them. */
    int sink() {
        return sink;
    }
}
