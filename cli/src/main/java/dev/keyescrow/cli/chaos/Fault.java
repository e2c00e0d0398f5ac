package dev.keyescrow.cli.chaos;

import java.util.List;
import java.util.Objects;

/**
 * One planned fault: when (milliseconds after the run's start), what, on which members, for
 * how long (pauses, full disks and clock skews; 0 otherwise), and by how many seconds the
 * target's clock is shifted (clock skews only; 0 otherwise).
 */
public record Fault(long atMillis, FaultKind kind, List<String> targets, long holdMillis, long clockOffsetSeconds) {
    public Fault {
        Objects.requireNonNull(kind, "kind");
        targets = List.copyOf(targets);
        if (atMillis < 0 || holdMillis < 0 || targets.isEmpty()) {
            throw new IllegalArgumentException("a fault needs a time, a hold of at least 0 and a target");
        }
        if ((kind == FaultKind.CLOCK_SKEW) == (clockOffsetSeconds == 0)) {
            throw new IllegalArgumentException("a clock skew, and only a clock skew, shifts a clock");
        }
    }

    public Fault(long atMillis, FaultKind kind, List<String> targets, long holdMillis) {
        this(atMillis, kind, targets, holdMillis, 0);
    }

    @Override
    public String toString() {
        return String.format("%7.1f s %-16s %s%s", atMillis / 1000.0, kind, String.join("+", targets),
                (clockOffsetSeconds == 0 ? "" : String.format(" clock %+d s", clockOffsetSeconds))
                + (holdMillis > 0 ? " for " + holdMillis + " ms" : ""));
    }
}
