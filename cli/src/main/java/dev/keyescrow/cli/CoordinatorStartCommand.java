package dev.keyescrow.cli;

import dev.keyescrow.cli.cluster.MemberClock;
import dev.keyescrow.coordinator.CoordinatorServer;
import dev.keyescrow.coordinator.config.CoordinatorConfigException;
import dev.keyescrow.coordinator.config.CoordinatorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow coordinator start --config FILE}: runs the coordinator in the foreground until it is stopped. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Run the coordinator in the foreground (stop it with SIGTERM or Ctrl-C).")
final class CoordinatorStartCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the coordinator's configuration")
    Path config;

    @Option(names = "--pid-file", paramLabel = "FILE", description = "write this process's id to FILE at start")
    Path pidFile;

    CoordinatorStartCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        PidFile.write(pidFile);
        CoordinatorConfig coordinator;
        try {
            coordinator = CoordinatorConfig.load(config);
        } catch (CoordinatorConfigException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!MemberFiles.privateOrRefused(terminal, "coordinator start", config, coordinator.privatePaths())) {
            return ExitCodes.FAILURE;
        }
        Clock clock;
        try {
            clock = MemberClock.of(coordinator.dev(), System.getenv());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        CoordinatorServer server;
        try {
            server = CoordinatorServer.start(coordinator, clock);
        } catch (Exception e) {
            terminal.err().println("escrow coordinator start: the coordinator did not start: "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return ExitCodes.FAILURE;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "coordinator-shutdown"));
        terminal.out().println("coordinator " + coordinator.id() + " listening on "
                + (coordinator.tlsCertificate() == null ? "http" : "https") + "://" + coordinator.httpHost() + ":"
                + server.actualPort() + (coordinator.dev() ? " (development mode" + MemberClock.describe(System.getenv())
                + ")" : ""));
        terminal.out().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
