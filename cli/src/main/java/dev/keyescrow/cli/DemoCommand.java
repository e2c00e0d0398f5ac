package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.demo.Demo;
import dev.keyescrow.journal.files.PrivateFiles;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code escrow demo}: the whole key ceremony on a local 5-node cluster (3-of-5), with a
 * readable transcript. Every process it starts is stopped at the end, on failure, and on
 * Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a whole key ceremony on a local 5-node cluster (3-of-5) with a readable transcript.")
final class DemoCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--dir", paramLabel = "DIR", description = "state directory (default: a fresh escrow-demo-* here)")
    Path dir;

    @Option(names = "--quiet", description = "print only the ceremony log")
    boolean quiet;

    @Option(names = "--json", description = "print one JSON document (steps, timings, ceremony log)")
    boolean json;

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    DemoCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        Path target = dir != null ? dir : Path.of("escrow-demo-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        LocalCluster cluster = new LocalCluster(target, quiet || json ? new java.io.PrintStream(
                java.io.OutputStream.nullOutputStream()) : terminal.out());
        if (!cluster.running().isEmpty()) {
            throw new BadInputException("a cluster is already running in " + target + "; stop it first with: escrow"
                    + " cluster stop --dir " + target);
        }
        PrivateFiles.createDirectories(target);
        AtomicBoolean finished = new AtomicBoolean();
        Thread stopOnInterrupt = new Thread(() -> {
            if (!finished.get()) {
                try {
                    cluster.stopAll();
                } catch (Exception e) {
                    // the JVM is exiting; nothing more can be done
                }
            }
        }, "demo-cleanup");
        Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
        try {
            new Demo(cluster, Demo.mode(quiet, json), terminal.out(), softwareVault).run();
            return ExitCodes.OK;
        } catch (Exception e) {
            terminal.err().println("escrow demo: failed: " + e.getMessage());
            terminal.err().println("escrow demo: logs are in " + cluster.layout().dir());
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
