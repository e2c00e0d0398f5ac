package dev.keyescrow.cli.chaos;

/**
 * One fault as it happened: when it started (ms after the run's start), how long after the
 * heal every member answered ready again, whether that happened in time, and what was seen.
 */
public record FaultOutcome(Fault fault, long startedMillis, long convergeMillis, boolean converged, String note) {
}
