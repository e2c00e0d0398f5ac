package dev.keyescrow.core.slip39;

import java.util.List;
import java.util.Objects;

/**
 * How a master secret is split: {@code groupThreshold} of the {@code groups} are needed, each
 * recovered from its own members; the passphrase encryption runs 10000 × 2^iterationExponent
 * PBKDF2 iterations; {@code extendable} marks a backup whose identifier is not part of the
 * encryption, so more share sets of the same secret and passphrase can be made later.
 * Public values, validated field by field.
 */
public record SplitParameters(int groupThreshold, List<GroupParameters> groups, int iterationExponent,
        boolean extendable) {
    /** The reference implementation's default: 20000 iterations, about as slow as the spec intends. */
    public static final int DEFAULT_ITERATION_EXPONENT = 1;

    public SplitParameters {
        Objects.requireNonNull(groups, "groups");
        groups = List.copyOf(groups);
        if (groups.isEmpty() || groups.size() > ShareHeader.MAX_COUNT) {
            throw new IllegalArgumentException("group count " + groups.size() + " is invalid: must be in [1, "
                    + ShareHeader.MAX_COUNT + "]");
        }
        if (groupThreshold < 1 || groupThreshold > groups.size()) {
            throw new IllegalArgumentException("group threshold " + groupThreshold + " is invalid: must be in [1, "
                    + groups.size() + "] (the group count)");
        }
        if (iterationExponent < 0 || iterationExponent > ShareHeader.MAX_ITERATION_EXPONENT) {
            throw new IllegalArgumentException("iteration exponent " + iterationExponent + " is invalid: must be in"
                    + " [0, " + ShareHeader.MAX_ITERATION_EXPONENT + "]");
        }
    }

    /** Non-extendable, with the default iteration exponent. */
    public static SplitParameters of(int groupThreshold, List<GroupParameters> groups) {
        return new SplitParameters(groupThreshold, groups, DEFAULT_ITERATION_EXPONENT, false);
    }
}
