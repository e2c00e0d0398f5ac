package dev.keyescrow.cli.chaos;

import java.util.List;

/**
 * What a partition run measured (each step, seconds since its split, isolation or heal) and
 * what the checker found.
 */
public record PartitionReport(List<String[]> figures, int acknowledgements, long records, List<String> findings,
        List<String> violations, long wallMillis) {
    public PartitionReport {
        figures = List.copyOf(figures);
        findings = List.copyOf(findings);
        violations = List.copyOf(violations);
    }

    public String render() {
        StringBuilder out = new StringBuilder("## Partition run\n\n| step | after |\n|---|---:|\n");
        for (String[] f : figures) {
            out.append("| ").append(f[0]).append(" | ").append(f[1]).append(" |\n");
        }
        out.append("\n").append(acknowledgements).append(" acknowledgements checked, ").append(records)
                .append(" journal records verified; wall ").append(wallMillis / 1000).append(" s.\n");
        findings.forEach(f -> out.append("- finding: ").append(f).append('\n'));
        out.append("\n**Invariant violations: ").append(violations.size()).append("**\n");
        violations.forEach(v -> out.append("- ").append(v).append('\n'));
        return out.toString();
    }
}
