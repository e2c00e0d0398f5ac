package dev.keyescrow.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * CPU time the members' JIT compiler threads used, read from Linux's {@code /proc}: each
 * member JVM compiles the same code while the load runs, and on a small machine that is a
 * large, temporary part of the cluster's CPU, reported on its own line. Empty where
 * {@code /proc} is not available.
 */
final class JitCpu {
    /** Kernel clock ticks per second for {@code /proc/.../stat}; 100 on Linux. */
    private static final long TICKS_PER_SECOND = 100;

    private JitCpu() {
    }

    /** The compiler threads' CPU time in nanoseconds, summed over {@code pids}; empty without {@code /proc}. */
    static OptionalLong nanos(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            Path tasks = Path.of("/proc", Long.toString(pid), "task");
            if (!Files.isDirectory(tasks)) {
                return OptionalLong.empty();
            }
            try (Stream<Path> threads = Files.list(tasks)) {
                for (Path thread : (Iterable<Path>) threads::iterator) {
                    ticks += compilerTicks(thread);
                }
            } catch (IOException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(ticks * 1_000_000_000L / TICKS_PER_SECOND);
    }

    /** utime + stime of one thread if it is a HotSpot compiler thread ("C1/C2 CompilerThre…"), else 0. */
    private static long compilerTicks(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            int open = stat.indexOf('(');
            int close = stat.lastIndexOf(')');
            if (open < 0 || close < open || !stat.substring(open + 1, close).contains("CompilerThre")) {
                return 0;
            }
            String[] fields = stat.substring(close + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended while we looked
        }
    }
}
