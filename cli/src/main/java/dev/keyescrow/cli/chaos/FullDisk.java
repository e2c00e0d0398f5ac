package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A full disk under one node: its state directory moved onto a small tmpfs (the node is
 * stopped for the move and started on it), the tmpfs filled to the last byte, held, then
 * emptied. While full the node must answer 503 on readiness (journal DOWN) and acknowledge
 * nothing it did not persist (the checker holds it to every acknowledgement); once space
 * returns it must be ready again without a restart. Afterwards the state goes back to the
 * ordinary disk. Needs root (mount); the suite runs as root in CI.
 */
public final class FullDisk {
    private static final Duration WITHIN = Duration.ofSeconds(180);

    /** What was seen, and when space came back (convergence counts from there). */
    record Seen(String note, long spaceReturnedNanos, long readyAgainNanos) {
    }

    private final LocalCluster cluster;

    FullDisk(LocalCluster cluster) {
        this.cluster = cluster;
    }

    public static boolean possible() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/bin/mount"));
    }

    Seen apply(String node, long holdMillis) throws Exception {
        Path member = cluster.layout().memberDir(node);
        Path state = member.resolve("state");
        Path disk = member.resolve("state.chaos-disk");
        cluster.kill(node);
        Files.move(state, disk);
        Files.createDirectory(state);
        long size = (sizeOf(disk) + 4 * 1024 * 1024) / 4096 * 4096;
        run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs", state.toString());
        try {
            run("cp", "-a", disk + "/.", state.toString());
            cluster.restart(node, Map.of(), WITHIN);
            String url = cluster.process(node).isPresent() ? urlOf(node) : null;
            Path filler = state.resolve("chaos-filler");
            fill(filler);
            boolean refused = awaitReady(url, false, Duration.ofSeconds(15));
            Thread.sleep(holdMillis);
            boolean survived = cluster.process(node).isPresent();
            Files.delete(filler);
            long spaceReturned = System.nanoTime();
            boolean recovered = survived && awaitReady(url, true, Duration.ofSeconds(60));
            long readyAgain = System.nanoTime();
            String note = "readiness " + (refused ? "503 while full" : "stayed 200 while full") + "; "
                    + (survived ? recovered ? "ready again once space returned, without a restart"
                    : "not ready within 60 s after space returned" : "the node exited while its disk was full");
            cluster.kill(node);
            run("cp", "-a", state + "/.", disk.toString());
            return new Seen(note, spaceReturned, readyAgain);
        } finally {
            cluster.kill(node);
            run("umount", state.toString());
            Files.delete(state);
            Files.move(disk, state);
            cluster.restart(node, Map.of(), WITHIN);
        }
    }

    private String urlOf(String node) throws IOException {
        return LocalCluster.recorded(cluster.layout()).stream().filter(m -> m.id().equals(node)).findFirst()
                .orElseThrow().url();
    }

    /** Whether the member reached the wanted readiness (true: 200, false: not 200) within {@code within}. */
    private boolean awaitReady(String url, boolean wanted, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (cluster.healthy(url) == wanted) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** Writes zeros until the file system refuses (ENOSPC). */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE_NEW)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // full: exactly what was wanted; fill the last partial block too
            try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.APPEND)) {
                for (int i = 0; i < block.length; i++) {
                    out.write(0);
                    out.flush();
                }
            } catch (IOException full) {
                // the last byte is taken
            }
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p) + 4096;
                } catch (IOException e) {
                    return 4096;
                }
            }).sum();
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }
}
