package dev.keyescrow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The load average, printed before and after a run: on a shared two-core machine a build
 * running beside the benchmark skews it, and the figures are only worth as much as the quiet
 * they were measured in.
 */
final class MachineLoad {
    private MachineLoad() {
    }

    /** "load average 0.12 0.30 0.25 (1, 5, 15 min)", or a note where /proc/loadavg is missing. */
    static String describe() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return "load average " + fields[0] + " " + fields[1] + " " + fields[2] + " (1, 5, 15 min), "
                    + Runtime.getRuntime().availableProcessors() + " processors";
        } catch (IOException | RuntimeException e) {
            return "load average unknown (no /proc/loadavg)";
        }
    }
}
