package dev.keyescrow.cli.chaos;

import java.util.List;
import java.util.Objects;

/**
 * One planned fault: when (milliseconds after the run's start), what, on which members, and
 * for how long (pauses only; 0 otherwise).
 */
public record Fault(long atMillis, FaultKind kind, List<String> targets, long holdMillis) {
    public Fault {
        Objects.requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        if (atMillis < 0 || holdMillis < 0 || targets.isEmpty()) {
            throw new IllegalArgumentException("a fault needs a time, a hold of at least 0 and a target");
        }
    }

    @Override
    public String toString() {
        return String.format("%7.1f s %-16s %s%s", atMillis / 1000.0, kind, String.join("+", targets),
                holdMillis > 0 ? " for " + holdMillis + " ms" : "");
    }
}
