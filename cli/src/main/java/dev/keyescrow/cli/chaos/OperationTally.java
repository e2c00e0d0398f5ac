package dev.keyescrow.cli.chaos;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Operations by kind and outcome. {@code completed}: it reached the end it was driven to
 * (a DENY that ends DENIED and a cancel that ends CANCELLED complete too); {@code refused}:
 * a server answered 4xx (a state that no longer allows it, a ceremony in progress);
 * {@code interrupted}: a fault ended it (FAILED, EXPIRED, unreachable for the whole wait).
 */
public final class OperationTally {
    public enum Outcome {
        COMPLETED,
        REFUSED,
        INTERRUPTED
    }

    private final Map<String, AtomicIntegerArray> counts = new ConcurrentHashMap<>();
    /** The first reason each operation was refused or interrupted for, so a report says why. */
    private final Map<String, String> firstReasons = new ConcurrentHashMap<>();

    void attempted(String op) {
        row(op).incrementAndGet(0);
    }

    void ended(String op, Outcome outcome) {
        row(op).incrementAndGet(1 + outcome.ordinal());
    }

    void reason(String op, Outcome outcome, String reason) {
        firstReasons.putIfAbsent(op + " " + outcome.name().toLowerCase(java.util.Locale.ROOT), reason);
    }

    /** "OP outcome" -> the first reason seen, sorted. */
    public Map<String, String> reasons() {
        return new TreeMap<>(firstReasons);
    }

    private AtomicIntegerArray row(String op) {
        return counts.computeIfAbsent(op, k -> new AtomicIntegerArray(4));
    }

    /** op -> {attempted, completed, refused, interrupted}, sorted by op. */
    public Map<String, int[]> snapshot() {
        Map<String, int[]> out = new TreeMap<>();
        counts.forEach((op, row) -> out.put(op, new int[] {row.get(0), row.get(1), row.get(2), row.get(3)}));
        return out;
    }

    public int total(int column) {
        return snapshot().values().stream().mapToInt(r -> r[column]).sum();
    }
}
