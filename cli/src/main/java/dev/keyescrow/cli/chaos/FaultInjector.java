package dev.keyescrow.cli.chaos;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberClock;
import dev.keyescrow.cli.cluster.MemberProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * Applies a {@link FaultSchedule} to a running cluster, one fault at a time: inject, heal as
 * an operator or the launcher would (restart, SIGCONT, restore the token), then wait until
 * every member answers {@code GET /v1/health/ready} and record how long that took.
 */
final class FaultInjector {
    private static final Duration CONVERGE_WITHIN = Duration.ofSeconds(180);
    private static final Duration REFUSAL_WITHIN = Duration.ofSeconds(40);

    private final LocalCluster cluster;
    private final PrintStream progress;
    private final ConcurrentLinkedQueue<String> violations;
    private final List<FaultOutcome> outcomes = new ArrayList<>();
    /** When the current fault's heal began (restart launched, SIGCONT sent, token restored): convergence counts from here. */
    private long healStartNanos;
    /** Set by a fault that measures its own recovery (a full disk: ready again before its state moves back). */
    private long readyAtNanos;

    FaultInjector(LocalCluster cluster, PrintStream progress, ConcurrentLinkedQueue<String> violations) {
        this.cluster = cluster;
        this.progress = progress;
        this.violations = violations;
    }

    List<FaultOutcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /** Runs the schedule from {@code startNanos}; stops at {@code stopAtNanos} or when interrupted. */
    void run(FaultSchedule schedule, long startNanos, long stopAtNanos, long seed) {
        SplittableRandom corruption = new SplittableRandom(seed ^ 0x5eedL);
        for (Fault fault : schedule.faults()) {
            long due = startNanos + fault.atMillis() * 1_000_000L;
            try {
                while (System.nanoTime() < due) {
                    Thread.sleep(Math.max(1, Math.min(500, (due - System.nanoTime()) / 1_000_000L)));
                }
            } catch (InterruptedException e) {
                return;
            }
            if (System.nanoTime() >= stopAtNanos) {
                return;
            }
            long started = (System.nanoTime() - startNanos) / 1_000_000L;
            healStartNanos = System.nanoTime();
            readyAtNanos = 0;
            String note;
            try {
                note = apply(fault, corruption);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                note = "heal failed: " + e.getMessage();
            }
            boolean converged = awaitAllReady();
            long converge = ((readyAtNanos > 0 ? readyAtNanos : System.nanoTime()) - healStartNanos) / 1_000_000L;
            if (!converged) {
                violations.add("the cluster did not converge within " + CONVERGE_WITHIN.toSeconds() + " s after "
                        + fault + " (" + note + ")");
                restartDead();
            }
            FaultOutcome outcome = new FaultOutcome(fault, started, converge, converged, note);
            outcomes.add(outcome);
            progress.printf("chaos: %s -> ready after %d ms%s%n", fault, converge, note.isEmpty() ? "" : " (" + note
                    + ")");
        }
    }

    private String apply(Fault fault, SplittableRandom corruption) throws Exception {
        switch (fault.kind()) {
            case KILL_NODE, KILL_COORDINATOR, KILL_TWO -> {
                for (String target : fault.targets()) {
                    cluster.kill(target);
                }
                healStartNanos = System.nanoTime();
                // the coordinator first, as the launcher starts it, so the nodes find their cluster
                List<String> order = new ArrayList<>(fault.targets());
                order.sort((a, b) -> a.equals(ClusterLayout.COORDINATOR) ? -1 : b.equals(ClusterLayout.COORDINATOR) ? 1
                        : a.compareTo(b));
                for (String target : order) {
                    cluster.restart(target, Map.of(), CONVERGE_WITHIN);
                }
                return "";
            }
            case PAUSE -> {
                String target = fault.targets().get(0);
                long pid = cluster.process(target).orElseThrow(() -> new IOException(target + " is not running"))
                        .pid();
                signal("STOP", pid);
                try {
                    Thread.sleep(fault.holdMillis());
                } finally {
                    healStartNanos = System.nanoTime();
                    signal("CONT", pid);
                }
                return "";
            }
            case CORRUPT_TOKEN -> {
                return corruptToken(fault.targets().get(0), corruption);
            }
            case CLOCK_SKEW -> {
                String node = fault.targets().get(0);
                cluster.kill(node);
                cluster.restart(node, Map.of(MemberClock.VARIABLE, Long.toString(fault.clockOffsetSeconds())),
                        CONVERGE_WITHIN);
                Thread.sleep(fault.holdMillis());
                cluster.kill(node);
                healStartNanos = System.nanoTime();
                cluster.restart(node, Map.of(), CONVERGE_WITHIN);
                return String.format("ran %+d s off for %d ms", fault.clockOffsetSeconds(), fault.holdMillis());
            }
            case FULL_DISK -> {
                FullDisk.Seen seen = new FullDisk(cluster).apply(fault.targets().get(0), fault.holdMillis());
                healStartNanos = seen.spaceReturnedNanos();
                readyAtNanos = seen.readyAgainNanos();
                if (seen.note().contains("stayed 200") || !seen.note().contains("ready again")) {
                    violations.add(fault + ": " + seen.note());
                }
                return seen.note();
            }
            default -> throw new IllegalStateException(fault.kind().name());
        }
    }

    /**
     * Corrupts the node's SoftHSM2 token files while it runs, checks that readiness turns 503
     * (detected at the next use), stops it, checks that it refuses to start and says why, then
     * restores the files (the operator restores the token) and starts it again.
     */
    private String corruptToken(String node, SplittableRandom random) throws Exception {
        Path tokens = cluster.layout().memberDir(node).resolve("tokens");
        if (!Files.isDirectory(tokens)) {
            cluster.kill(node);
            cluster.restart(node, Map.of(), CONVERGE_WITHIN);
            return "no SoftHSM2 token directory (development vault): killed and restarted instead";
        }
        Path backup = cluster.layout().memberDir(node).resolve("tokens.chaos-backup");
        // frozen while the backup is taken and the files corrupted, so no token write falls between the two
        long pid = cluster.process(node).orElseThrow(() -> new IOException(node + " is not running")).pid();
        signal("STOP", pid);
        try {
            copyTree(tokens, backup);
            corrupt(tokens, random);
        } finally {
            signal("CONT", pid);
        }
        String url = member(node).url();
        boolean downAtUse = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && !downAtUse) {
            downAtUse = !cluster.healthy(url);
            Thread.sleep(250);
        }
        cluster.kill(node);
        String refusal;
        try {
            cluster.restart(node, Map.of(), REFUSAL_WITHIN);
            refusal = null;
        } catch (IOException e) {
            refusal = lastLine(e.getMessage());
        }
        cluster.kill(node);
        if (refusal == null) {
            violations.add(node + " started and answered ready with a corrupted token");
        }
        deleteTree(tokens);
        copyTree(backup, tokens);
        deleteTree(backup);
        healStartNanos = System.nanoTime();
        cluster.restart(node, Map.of(), CONVERGE_WITHIN);
        return "readiness " + (downAtUse ? "503 at next use" : "stayed 200 for 10 s (token files are read at login)")
                + "; start refused: " + (refusal == null ? "NO" : refusal);
    }

    /** Overwrites every token file with seeded random bytes of the same length. */
    private static void corrupt(Path tokens, SplittableRandom random) throws IOException {
        List<Path> objects;
        try (Stream<Path> files = Files.walk(tokens)) {
            objects = files.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path object : objects) {
            byte[] content = Files.readAllBytes(object);
            for (int i = 0; i < content.length; i++) {
                content[i] = (byte) random.nextInt(256);
            }
            Files.write(object, content);
        }
    }

    private MemberProcess member(String id) throws IOException {
        return LocalCluster.recorded(cluster.layout()).stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IOException("no member " + id));
    }

    private boolean awaitAllReady() {
        long deadline = System.nanoTime() + CONVERGE_WITHIN.toNanos();
        try {
            for (MemberProcess m : LocalCluster.recorded(cluster.layout())) {
                while (!cluster.healthy(m.url())) {
                    if (System.nanoTime() > deadline) {
                        return false;
                    }
                    Thread.sleep(100);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** After a failed convergence: start whatever is down, so the run goes on and the checker sees all journals. */
    private void restartDead() {
        try {
            for (MemberProcess m : LocalCluster.recorded(cluster.layout())) {
                if (cluster.process(m.id()).isEmpty()) {
                    cluster.restart(m.id(), Map.of(), CONVERGE_WITHIN);
                }
            }
        } catch (Exception e) {
            progress.println("chaos: could not restart a dead member: " + e.getMessage());
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
        kill.getInputStream().readAllBytes();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + pid + " failed");
        }
    }

    private static String lastLine(String message) {
        String[] lines = message.strip().split("\n");
        String last = lines[lines.length - 1].strip();
        return last.length() > 200 ? last.substring(0, 200) + "..." : last;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
