package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.node.Ceremony;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node process killed with SIGKILL a fixed number of times while it accepts a stream of
 * answers: every restart opens an intact journal (the open verifies every record it replays),
 * and no acknowledged answer is ever lost. Child output goes to a file, not a pipe (a pipe
 * read races with the kill).
 */
class NodeCrashTest {
    private static final int KILLS = 8;

    @TempDir
    Path dir;

    @Test
    void acknowledgedAnswersSurviveKillNine() throws Exception {
        long started = System.nanoTime();
        Path state = dir.resolve("state");
        SplittableRandom random = new SplittableRandom(42);
        List<String> acknowledged = new ArrayList<>();
        int next = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Path out = dir.resolve("child-" + kill + ".out");
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    AnswerStreamChild.class.getName(), state.toString(), String.valueOf(next))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("READY")) {
                assertTrue(child.isAlive(), "the node did not reopen its journal: " + Files.readString(out));
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
            // an answer the child journaled but never acknowledged may exist: skip past it
            next += 1;
        }
        assertTrue(acknowledged.size() >= KILLS, "the children acknowledged " + acknowledged.size() + " answers");
        Ceremony ceremony = AnswerStreamChild.ceremony();
        try (NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state,
                AnswerStreamChild.identity(), Clock.fixed(Ceremony.NOW.plusSeconds(1), java.time.ZoneOffset.UTC))) {
            for (String requestId : acknowledged) {
                assertEquals(List.of("custodian-1"), node.view(requestId).approvers(), requestId + " lost its answer");
            }
        }
        System.out.printf("NodeCrashTest: %d kills, %d acknowledged answers, %.1f s%n", KILLS, acknowledged.size(),
                (System.nanoTime() - started) / 1e9);
    }
}
