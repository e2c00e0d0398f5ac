package dev.keyescrow.cli.cluster;

import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code escrow} subcommands as child JVMs: the same Java and class path as this
 * process, small heaps, no heap dumps (they could hold key material). Background members
 * are started in their own session ({@code setsid}) so a Ctrl-C in the terminal that ran
 * {@code cluster start} does not reach them; they are stopped by process id.
 */
public final class ChildProcesses {
    private static final String MAIN = "dev.keyescrow.cli.Escrow";

    private ChildProcesses() {
    }

    /**
     * How a member JVM compiles: {@link #QUICK_START} (C1 only) starts fast, which is what a
     * demo or a test cluster needs; {@link #STEADY_STATE} keeps the JVM's full tiered
     * compilation, as a production member runs, for benchmarks.
     */
    public enum Jit {
        QUICK_START,
        STEADY_STATE
    }

    static List<String> command(List<String> escrowArgs, boolean ownSession) {
        return command(escrowArgs, ownSession, Jit.QUICK_START);
    }

    static List<String> command(List<String> escrowArgs, boolean ownSession, Jit jit) {
        List<String> command = new ArrayList<>();
        if (ownSession && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-XX:-HeapDumpOnOutOfMemoryError");
        if (jit == Jit.QUICK_START) {
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN);
        command.addAll(escrowArgs);
        return command;
    }

    /** Runs a short command to its end and returns its stdout; fails with its stderr if it exits non-zero. */
    static String run(List<String> escrowArgs, Map<String, String> environment) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(escrowArgs, false));
        builder.environment().putAll(environment);
        Path err = Files.createTempFile("escrow-child", ".err");
        try {
            builder.redirectError(err.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("escrow " + String.join(" ", escrowArgs) + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("escrow " + escrowArgs.get(0) + " " + escrowArgs.get(1) + " failed: "
                        + Files.readString(err, StandardCharsets.UTF_8).trim());
            }
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Starts a long-running member in the background with its output in {@code log}. */
    static Process startInBackground(List<String> escrowArgs, Map<String, String> environment, Path log, Jit jit)
            throws IOException {
        return startInBackground(List.of(), escrowArgs, environment, log, jit);
    }

    /** As {@link #startInBackground(List, Map, Path, Jit)}, the command line after {@code prefix}. */
    static Process startInBackground(List<String> prefix, List<String> escrowArgs, Map<String, String> environment,
            Path log, Jit jit) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(command(escrowArgs, true, jit));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.redirectErrorStream(true);
        // the member's output may name its files and refusals: the log is private too
        PrivateFiles.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return builder.start();
    }
}
