package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A local cluster that one command starts in its own directory and always stops: at the end, on
 * failure, and on Ctrl-C. The demo, the quorum bench and the chaos suite run their work inside one.
 */
final class ThrowawayCluster {
    /** The work done while the cluster exists; returns the command's exit code. */
    interface Job {
        int run(LocalCluster cluster) throws Exception;
    }

    private ThrowawayCluster() {
    }

    /** {@code given}, or a fresh {@code PREFIX-yyyyMMdd-HHmmss} directory here. */
    static Path directory(Path given, String prefix) {
        return given != null ? given : Path.of(prefix + "-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    /**
     * Runs {@code job} on {@code cluster}, which must not be running yet, and stops every process it
     * started whatever happens. A failure of the job is reported on {@code err} under
     * {@code command}'s name with where the logs are, and answers {@link ExitCodes#FAILURE}.
     */
    static int run(LocalCluster cluster, String command, PrintStream err, Job job) throws Exception {
        Path dir = cluster.layout().dir();
        if (!cluster.running().isEmpty()) {
            throw new BadInputException("a cluster is already running in " + dir + "; stop it first with: escrow"
                    + " cluster stop --dir " + dir);
        }
        PrivateFiles.createDirectories(dir);
        AtomicBoolean finished = new AtomicBoolean();
        Thread stopOnInterrupt = new Thread(() -> {
            if (!finished.get()) {
                try {
                    cluster.stopAll();
                } catch (Exception e) {
                    // the JVM is exiting; nothing more can be done
                }
            }
        }, command.replace(' ', '-') + "-cleanup");
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        try {
            return job.run(cluster);
        } catch (Exception e) {
            err.println("escrow " + command + ": failed: " + e.getMessage());
            err.println("escrow " + command + ": logs are in " + dir);
            return ExitCodes.FAILURE;
        } finally {
            cluster.stopAll();
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }
}
