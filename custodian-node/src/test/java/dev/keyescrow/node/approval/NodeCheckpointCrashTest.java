package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.journal.Journal;
import dev.keyescrow.node.Ceremony;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process that writes a checkpoint after every record (so most of its time is spent
 * writing checkpoints) is killed with SIGKILL a fixed number of times. After each kill the state
 * directory, as it is on disk, starts: from whatever checkpoint survived (the previous one, or
 * the new one; a half-written temporary file is ignored), with the ledger a full replay of the
 * same journal gives, and with every acknowledged answer.
 */
class NodeCheckpointCrashTest {
    private static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void killedWhileCheckpointing_startsWithTheStateOfAFullReplay() throws Exception {
        long started = System.nanoTime();
        Path state = dir.resolve("state");
        SplittableRandom random = new SplittableRandom(15);
        List<String> acknowledged = new ArrayList<>();
        int next = 0;
        int tmpLeftovers = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path out = dir.resolve("child-" + kill + ".out");
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    AnswerStreamChild.class.getName(), state.toString(), String.valueOf(next), "1")
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("READY")) {
                assertTrue(child.isAlive(), "the node did not start from its checkpoint: " + Files.readString(out));
                assertTrue(System.nanoTime() < deadline, "the child did not start");
                Thread.sleep(20);
            }
            Thread.sleep(150 + random.nextInt(400));
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith("ACK ")) {
                    acknowledged.add(line.substring(4));
                    next = Math.max(next, Integer.parseInt(line.substring(8)) + 1);
                }
            }
            next += 1;
            if (Files.exists(state.resolve("journal").resolve("checkpoint.tmp"))) {
                tmpLeftovers++;
            }
            assertEquals(checkpointStart(state, dir.resolve("full-" + kill)), fullReplay(dir.resolve("full-" + kill)),
                    "after kill " + kill);
        }
        assertTrue(acknowledged.size() >= KILLS, "the children acknowledged " + acknowledged.size() + " answers");
        Ceremony ceremony = AnswerStreamChild.ceremony();
        try (NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state,
                AnswerStreamChild.identity(), Clock.fixed(Ceremony.NOW.plusSeconds(1), java.time.ZoneOffset.UTC))) {
            assertTrue(node.startedFromCheckpoint() > 0);
            for (String requestId : acknowledged) {
                assertEquals(List.of("custodian-1"), node.view(requestId).approvers(), requestId + " lost its answer");
            }
        }
        System.out.printf("NodeCheckpointCrashTest: %d kills, %d acknowledged answers, %d kills left a temporary"
                + " checkpoint, %.1f s%n", KILLS, acknowledged.size(), tmpLeftovers, (System.nanoTime() - started) / 1e9);
    }

    /** Opens a copy of {@code state} as it is (checkpoint included) and returns its digest; leaves a second copy without the checkpoint in {@code full}. */
    private static String checkpointStart(Path state, Path full) throws Exception {
        Path copy = full.resolveSibling(full.getFileName() + "-as-is");
        copyTree(state, copy);
        copyTree(state, full);
        Files.deleteIfExists(full.resolve("journal").resolve(Journal.CHECKPOINT_FILE));
        try (NodeService node = open(copy)) {
            return java.util.HexFormat.of().formatHex(node.stateDigest());
        }
    }

    private static String fullReplay(Path full) throws Exception {
        try (NodeService node = open(full)) {
            assertEquals(0, node.startedFromCheckpoint());
            return java.util.HexFormat.of().formatHex(node.stateDigest());
        }
    }

    private static NodeService open(Path state) throws Exception {
        Ceremony ceremony = AnswerStreamChild.ceremony();
        return NodeService.open("node-a", ceremony.coordinator.publicKey(), state, AnswerStreamChild.identity(),
                Clock.fixed(Ceremony.NOW.plusSeconds(1), java.time.ZoneOffset.UTC));
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
