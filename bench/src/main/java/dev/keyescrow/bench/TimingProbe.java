package dev.keyescrow.bench;

import java.util.SplittableRandom;

/**
 * One operation the timing report times, with inputs of two classes: 0, the fixed class
 * (all-zero secret data), and 1, the random class. Inputs are prepared in slots before a batch
 * is timed, so only the operation itself is inside the timed region.
 */
interface TimingProbe {
    String name();

    /** Prepares slot {@code slot} with an input of class {@code sampleClass} (untimed). */
    void prepare(int slot, int sampleClass, SplittableRandom random);

    /** Runs the operation on the input in {@code slot}; the result is folded into a sink. */
    int run(int slot);
}
