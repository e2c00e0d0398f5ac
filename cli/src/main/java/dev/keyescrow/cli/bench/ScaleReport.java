package dev.keyescrow.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The figures of {@code escrow bench scale}, one column per measured size, as a Markdown table:
 * creation rate, paging, heap and heap per key of each member, release latency, restart times.
 */
final class ScaleReport {
    /** Everything measured at one number of keys. */
    record Point(int keys, ScaleLoad.Creation creation, ScaleLoad.Paging paging, Map<String, Long> heaps,
                 long releaseP50Nanos, long releaseP99Nanos, ScaleLoad.Restart coordinator, ScaleLoad.Restart node) {
        Point {
            Objects.requireNonNull(creation, "creation");
            Objects.requireNonNull(paging, "paging");
            heaps = Map.copyOf(heaps);
            Objects.requireNonNull(coordinator, "coordinator");
            Objects.requireNonNull(node, "node");
        }
    }

    private final List<String> members;
    private final Map<String, Long> baseline;
    private final int releases;
    private final List<Point> points = new ArrayList<>();

    /** For {@code members} (in order), whose heaps at 0 keys were {@code baseline}; {@code releases} per size. */
    ScaleReport(List<String> members, Map<String, Long> baseline, int releases) {
        this.members = List.copyOf(members);
        this.baseline = Map.copyOf(baseline);
        this.releases = releases;
    }

    void add(Point point) {
        points.add(point);
    }

    List<Point> points() {
        return List.copyOf(points);
    }

    /** The table: a header with the sizes, then one row per figure. */
    String table() {
        StringBuilder t = new StringBuilder("| keys on the cluster |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (Point p : points) {
            t.append(String.format(" %,d |", p.keys()));
            rule.append(" ---: |");
        }
        t.append('\n').append(rule).append('\n');
        row(t, "creation rate (keys/s, since the previous size)", p -> fmt("%.1f", p.creation().keysPerSecond()));
        row(t, "GET /v1/keys: keys listed, pages, total ms", p -> String.format("%d, %d, %.0f", p.paging().keys(),
                p.paging().pages(),
                p.paging().totalNanos() / 1e6));
        row(t, "GET /v1/keys: ms per page (mean / slowest)", p -> String.format("%.1f / %.1f",
                p.paging().meanPageMillis(), p.paging().slowestPageNanos() / 1e6));
        for (String m : members) {
            row(t, "heap after full GC, " + m + " (MiB)", p -> fmt("%.1f", p.heaps().get(m) / 1048576.0));
        }
        for (String m : members) {
            row(t, "heap per key, " + m + " (KiB, since the previous size)", p -> fmt("%.2f", perKeyKib(p, m)));
        }
        row(t, "release p50 / p99 (ms, " + releases + " USE, POST to ACTIVE)", p -> String.format("%.0f / %.0f",
                p.releaseP50Nanos() / 1e6, p.releaseP99Nanos() / 1e6));
        row(t, "coordinator: clean stop, start to ready (s)", p -> String.format("%.1f, %.1f",
                p.coordinator().stopNanos() / 1e9, p.coordinator().startNanos() / 1e9));
        row(t, "node-1: clean stop, start to ready (s)", p -> String.format("%.1f, %.1f",
                p.node().stopNanos() / 1e9, p.node().startNanos() / 1e9));
        return t.toString();
    }

    /** Heap growth of member {@code m} per key since the previous size (or since 0 keys), in KiB. */
    double perKeyKib(Point p, String m) {
        int i = points.indexOf(p);
        long before = i == 0 ? baseline.get(m) : points.get(i - 1).heaps().get(m);
        int keysBefore = i == 0 ? 0 : points.get(i - 1).keys();
        return (p.heaps().get(m) - before) / 1024.0 / (p.keys() - keysBefore);
    }

    private void row(StringBuilder t, String name, java.util.function.Function<Point, String> cell) {
        t.append("| ").append(name).append(" |");
        for (Point p : points) {
            t.append(' ').append(cell.apply(p)).append(" |");
        }
        t.append('\n');
    }

    private static String fmt(String format, double value) {
        return String.format(format, value);
    }
}
