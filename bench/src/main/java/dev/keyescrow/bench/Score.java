package dev.keyescrow.bench;

import java.util.Locale;

/**
 * A JMH score with its error (half-width of JMH's 99.9% interval; NaN when JMH has too few
 * iterations to give one), in ops/s or, scaled, in MB/s.
 */
record Score(double value, double error) {

    Score scaled(double factor) {
        return new Score(value * factor, error * factor);
    }

    /** The smallest and largest ratio this / other allowed by both errors, or null if unknown. */
    double[] ratioInterval(Score other) {
        if (Double.isNaN(error) || Double.isNaN(other.error) || other.value - other.error <= 0) {
            return null;
        }
        return new double[] {
            (value - error) / (other.value + other.error), (value + error) / (other.value - other.error)
        };
    }

    static String format(double number) {
        if (Double.isNaN(number)) {
            return "n/a";
        }
        if (Math.abs(number) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", number);
        }
        if (Math.abs(number) >= 10) {
            return String.format(Locale.ROOT, "%.1f", number);
        }
        return String.format(Locale.ROOT, "%.2f", number);
    }
}
