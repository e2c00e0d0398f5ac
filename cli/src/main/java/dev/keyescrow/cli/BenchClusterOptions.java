package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.ChildProcesses;
import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code escrow bench} command shares: where its throwaway cluster lives and its vault. */
final class BenchClusterOptions {
    @Option(names = "--dir", paramLabel = "DIR", description = "state directory (default: a fresh escrow-bench-* here)")
    Path dir;

    @Option(names = "--software-vault", description = "use the development vault even where SoftHSM2 is installed")
    boolean softwareVault;

    /** The bench's cluster, not started: quiet, its members' JIT tuned for steady-state measurement. */
    LocalCluster cluster() throws Exception {
        return new LocalCluster(ThrowawayCluster.directory(dir, "escrow-bench"),
                new PrintStream(OutputStream.nullOutputStream())).withJit(ChildProcesses.Jit.STEADY_STATE);
    }
}
