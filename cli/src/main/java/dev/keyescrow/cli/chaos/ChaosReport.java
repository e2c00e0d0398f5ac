package dev.keyescrow.cli.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The table a run prints: faults by kind with convergence times, operations by outcome, violations. */
public record ChaosReport(ChaosSettings settings, List<FaultOutcome> faults, Map<String, int[]> operations,
                          Map<String, String> reasons, int acknowledgements, Map<String, Long> journalRecords, List<String> findings,
                          List<String> violations, long wallMillis) {
    public ChaosReport {
        faults = List.copyOf(faults);
        operations = Map.copyOf(operations);
        reasons = Map.copyOf(reasons);
        journalRecords = Map.copyOf(journalRecords);
        findings = List.copyOf(findings);
        violations = List.copyOf(violations);
    }

    public int faultCount() {
        return faults.size();
    }

    public int completed() {
        return operations.values().stream().mapToInt(r -> r[1]).sum();
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(String.format("chaos run: seed %d, %s min of operations, fault gap %d s, %d workers, %.1f min wall%n",
                settings.seed(), trim(settings.minutes()), settings.faultGapSeconds(), settings.workers(),
                wallMillis / 60000.0));
        out.append(String.format("replay: escrow chaos --seed %d --minutes %s --fault-gap %d --workers %d%s%n%n",
                settings.seed(), trim(settings.minutes()), settings.faultGapSeconds(), settings.workers(),
                (settings.fullDisk() ? " --full-disk" : "") + (settings.skew() ? " --skew" : "")));
        out.append("| fault | injected | converged | time to ready after the heal: median | p90 | max |\n");
        out.append("|---|---:|---:|---:|---:|---:|\n");
        Map<FaultKind, List<FaultOutcome>> byKind = new EnumMap<>(FaultKind.class);
        for (FaultOutcome o : faults) {
            byKind.computeIfAbsent(o.fault().kind(), k -> new ArrayList<>()).add(o);
        }
        List<Long> all = new ArrayList<>();
        for (Map.Entry<FaultKind, List<FaultOutcome>> e : byKind.entrySet()) {
            List<Long> times = e.getValue().stream().map(FaultOutcome::convergeMillis).sorted().toList();
            all.addAll(times);
            out.append(row(e.getKey().name(), e.getValue().size(),
                    (int) e.getValue().stream().filter(FaultOutcome::converged).count(), times));
        }
        out.append(row("**all**", faults.size(), (int) faults.stream().filter(FaultOutcome::converged).count(),
                all.stream().sorted().toList()));
        out.append("\n| operation | attempted | completed | refused | interrupted |\n|---|---:|---:|---:|---:|\n");
        int[] sum = new int[4];
        operations.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            int[] r = e.getValue();
            out.append(String.format("| %s | %d | %d | %d | %d |%n", e.getKey(), r[0], r[1], r[2], r[3]));
            for (int i = 0; i < 4; i++) {
                sum[i] += r[i];
            }
        });
        out.append(String.format("| **all** | %d | %d | %d | %d |%n%n", sum[0], sum[1], sum[2], sum[3]));
        reasons.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> out.append("first ")
                .append(e.getKey()).append(": ").append(e.getValue()).append('\n'));
        out.append("acknowledgements checked against the journals: ").append(acknowledgements).append('\n');
        out.append("journal records verified: ").append(journalRecords.entrySet().stream().sorted(Map.Entry
                .comparingByKey()).map(e -> e.getKey() + " " + e.getValue()).toList()).append('\n');
        for (FaultOutcome o : faults) {
            if (!o.note().isEmpty()) {
                out.append("note: ").append(o.fault()).append(": ").append(o.note()).append('\n');
            }
        }
        for (String f : findings) {
            out.append("finding: ").append(f).append('\n');
        }
        out.append("invariant violations: ").append(violations.size()).append('\n');
        for (String v : violations) {
            out.append("VIOLATION: ").append(v).append('\n');
        }
        return out.toString();
    }

    private static String row(String name, int injected, int converged, List<Long> sorted) {
        return String.format("| %s | %d | %d | %s | %s | %s |%n", name, injected, converged, seconds(sorted, 0.5),
                seconds(sorted, 0.9), seconds(sorted, 1.0));
    }

    private static String seconds(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int rank = (int) Math.ceil(p * sorted.size()) - 1;
        return String.format("%.1f s", sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank))) / 1000.0);
    }

    private static String trim(double minutes) {
        return minutes == Math.rint(minutes) ? Long.toString((long) minutes) : Double.toString(minutes);
    }
}
