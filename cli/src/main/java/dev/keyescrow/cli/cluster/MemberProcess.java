package dev.keyescrow.cli.cluster;

import java.nio.file.Path;

/**
 * A started member: its id, process id, the process's start time (epoch millis, 0 if the
 * system does not say; with the id it tells our process from a later one that reuses the
 * id), configuration file and HTTP URL.
 */
public record MemberProcess(String id, long pid, long startedAt, Path config, String url) {
    /** The start time the system reports for process {@code pid}, or 0. */
    static long startTimeOf(long pid) {
        return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(java.time.Instant::toEpochMilli)
                .orElse(0L);
    }
}
