package dev.keyescrow.journal;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running {@link CrashChild}. Its stdout goes to a file, not a pipe: the JDK
 * closes a dead child's pipe under a concurrent reader ("Stream closed"), losing lines,
 * while a file keeps every byte written before the SIGKILL.
 */
final class CrashChildProcess {
    private static final long LINE_WAIT_SECONDS = 60; // a hang guard, not a timing assertion

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CrashChildProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static CrashChildProcess start(Path journalDir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-HeapDumpOnOutOfMemoryError",
                "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), journalDir.toString()));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile("crash-child", ".out");
        Path stderr = Files.createTempFile("crash-child", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile()).start();
        return new CrashChildProcess(process, stdout, stderr);
    }

    /** Waits until the child has printed a whole line starting with {@code prefix}, and returns it. */
    String awaitLineStartingWith(String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINE_WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            boolean alive = process.isAlive();
            for (String line : completeLines()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("CORRUPT")) {
                    fail("the child could not open the journal: " + line);
                }
            }
            if (!alive) {
                fail("child exited before printing " + prefix + "; stderr: " + Files.readString(stderr));
            }
            Thread.sleep(2);
        }
        fail("child printed no line starting with " + prefix + " (hang guard)");
        return null;
    }

    /** Kills the child with SIGKILL and waits for it to be gone. */
    void kill() throws Exception {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Every whole line the child printed (call after {@link #kill()}: then none is missed). */
    List<String> lines() throws IOException {
        List<String> lines = completeLines();
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
        return lines;
    }

    private List<String> completeLines() throws IOException {
        String text = Files.readString(stdout, StandardCharsets.US_ASCII);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
