package dev.keyescrow.cli.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.LocalCluster;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short seeded chaos run CI affords (about two and a half minutes on two cores): a real
 * cluster of 5 nodes and the coordinator with SoftHSM2 tokens, two workers driving every kind
 * of operation, and seed 10's faults — the coordinator killed, two members killed at once, a
 * corrupted token, single node kills, a paused coordinator — then every invariant checked on
 * the journals. The checker is then shown to fail on a lost acknowledgement and a tampered
 * journal, so a clean report means something.
 */
class ChaosSuiteTest {
    private static final long SEED = 10;

    @TempDir
    Path dir;

    @Test
    void aShortSeededRunKeepsEveryInvariant() throws Exception {
        ChaosSettings settings = new ChaosSettings(1, SEED, 5, 2, false);
        LocalCluster cluster = new LocalCluster(dir, new PrintStream(OutputStream.nullOutputStream()));
        ChaosRun run = new ChaosRun(cluster, settings, System.out);
        ChaosReport report;
        try {
            report = run.run(false);
        } finally {
            cluster.stopAll();
        }
        System.out.println(report.render());
        assertEquals(List.of(), report.violations(), "invariant violations");
        Set<FaultKind> kinds = report.faults().stream().map(o -> o.fault().kind()).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of(FaultKind.KILL_COORDINATOR, FaultKind.KILL_TWO, FaultKind.CORRUPT_TOKEN)),
                "seed 10 reaches a coordinator kill, a double kill and a corrupted token in its first minute: " + kinds);
        assertTrue(report.faults().stream().allMatch(FaultOutcome::converged), "every fault converged");
        assertTrue(report.faults().stream().filter(o -> o.fault().kind() == FaultKind.CORRUPT_TOKEN)
                .allMatch(o -> o.note().contains("start refused: escrow node start")),
                "a node with a corrupted token refuses to start and says why");
        assertTrue(report.completed() >= 4, "operations complete under faults: " + report.completed());

        // the checker is not blind: an acknowledgement that no journal holds is a violation...
        Acknowledgements acks = run.acknowledgements();
        acks.answered("req-0000000000000000", "custodian-1", "node-1", "APPROVE");
        List<String> nodes = List.of("node-1", "node-2", "node-3", "node-4", "node-5");
        JournalChecker.Result lost = new JournalChecker().check(dir, nodes, acks);
        assertTrue(lost.violations().stream().anyMatch(v -> v.contains("req-0000000000000000")), lost.violations()
                .toString());
        // ...and so is one changed byte in a journal
        Path journal = dir.resolve("node-2").resolve("state").resolve("journal").resolve("journal.log");
        try (FileChannel file = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            file.read(one, 200);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            file.write(one, 200);
        }
        JournalChecker.Result tampered = new JournalChecker().check(dir, nodes, acks);
        assertTrue(tampered.violations().stream().anyMatch(v -> v.startsWith("node-2's journal does not verify")),
                tampered.violations().toString());
    }

    @Test
    void theSameSeedPlansTheSameFaults() {
        assertEquals(FaultSchedule.plan(SEED, 1_800_000, 5000, 5).faults(),
                FaultSchedule.plan(SEED, 1_800_000, 5000, 5).faults());
        assertTrue(!FaultSchedule.plan(SEED, 1_800_000, 5000, 5).faults()
                .equals(FaultSchedule.plan(SEED + 1, 1_800_000, 5000, 5).faults()), "another seed, other faults");
    }
}
