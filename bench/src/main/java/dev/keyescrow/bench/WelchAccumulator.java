package dev.keyescrow.bench;

/**
 * Welch's t-test between two classes of timings, updated one sample at a time (Welford's
 * running mean and variance), so a million samples need no storage.
 */
final class WelchAccumulator {
    private final long[] count = new long[2];
    private final double[] mean = new double[2];
    private final double[] m2 = new double[2];

    void add(int sampleClass, double value) {
        count[sampleClass]++;
        double delta = value - mean[sampleClass];
        mean[sampleClass] += delta / count[sampleClass];
        m2[sampleClass] += delta * (value - mean[sampleClass]);
    }

    long count(int sampleClass) {
        return count[sampleClass];
    }

    double mean(int sampleClass) {
        return mean[sampleClass];
    }

    /** Welch's t statistic (class 0 minus class 1), or NaN before both classes have two samples. */
    double t() {
        if (count[0] < 2 || count[1] < 2) {
            return Double.NaN;
        }
        double v0 = m2[0] / (count[0] - 1);
        double v1 = m2[1] / (count[1] - 1);
        double se = Math.sqrt(v0 / count[0] + v1 / count[1]);
        return se == 0 ? 0 : (mean[0] - mean[1]) / se;
    }
}
