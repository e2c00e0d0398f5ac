package dev.keyescrow.cli.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The faults of a run, drawn from the seed alone before the run starts: the same seed,
 * duration, gap and node count give the same list, so a failing seed replays its faults.
 * The moments are offsets from the start; a fault whose moment passes while the previous one
 * is still healing runs as soon as that one has converged (the printed schedule is the plan).
 */
public final class FaultSchedule {
    /** How far a skewed clock is off: minutes, well beyond a node's allowed skew (60 s by default). */
    static final long SKEW = 600;

    private final List<Fault> faults;

    private FaultSchedule(List<Fault> faults) {
        this.faults = List.copyOf(faults);
    }

    /**
     * Plans faults over {@code durationMillis}, one every {@code gapMillis} on average
     * (uniformly between half and one and a half gaps), on nodes {@code node-1..node-N}.
     */
    public static FaultSchedule plan(long seed, long durationMillis, long gapMillis, int nodes) {
        return plan(seed, durationMillis, gapMillis, nodes, false);
    }

    /**
     * As {@link #plan(long, long, long, int)}; with {@code fullDisk}, half of the token faults
     * (those of the upper half of their draw) become full-disk faults. No draw is added, so
     * every other fault stays where the same seed puts it without full disks.
     */
    public static FaultSchedule plan(long seed, long durationMillis, long gapMillis, int nodes, boolean fullDisk) {
        return plan(seed, durationMillis, gapMillis, nodes, fullDisk, false);
    }

    /**
     * As above; with {@code skew}, the pauses of the top quarter of their draw's range become
     * clock skews of a node: 10 minutes ahead when the drawn pause length is even, behind when
     * odd, held for four times that length. Again no draw is added.
     */
    public static FaultSchedule plan(long seed, long durationMillis, long gapMillis, int nodes, boolean fullDisk,
            boolean skew) {
        if (durationMillis < 0 || gapMillis < 1 || nodes < 2) {
            throw new IllegalArgumentException("a schedule needs a duration, a gap of at least 1 ms and 2 nodes");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<Fault> faults = new ArrayList<>();
        long at = gapMillis / 2 + random.nextLong(gapMillis / 2 + 1);
        while (at < durationMillis) {
            int roll = random.nextInt(100);
            String node = node(random, nodes);
            Fault fault;
            if (roll < 40) {
                fault = new Fault(at, FaultKind.KILL_NODE, List.of(node), 0);
            } else if (roll < 55) {
                fault = new Fault(at, FaultKind.KILL_COORDINATOR, List.of("coordinator"), 0);
            } else if (roll < 68) {
                String other = random.nextBoolean() ? "coordinator" : otherNode(random, nodes, node);
                fault = new Fault(at, FaultKind.KILL_TWO, List.of(node, other), 0);
            } else if (roll < 92) {
                String target = random.nextInt(4) == 0 ? "coordinator" : node;
                long hold = 1000 + random.nextLong(4001);
                fault = skew && roll >= 86
                        ? new Fault(at, FaultKind.CLOCK_SKEW, List.of(node), 4 * hold, hold % 2 == 0 ? SKEW : -SKEW)
                        : new Fault(at, FaultKind.PAUSE, List.of(target), hold);
            } else if (fullDisk && roll >= 96) {
                fault = new Fault(at, FaultKind.FULL_DISK, List.of(node), 3000);
            } else {
                fault = new Fault(at, FaultKind.CORRUPT_TOKEN, List.of(node), 0);
            }
            faults.add(fault);
            at += gapMillis / 2 + random.nextLong(gapMillis + 1);
        }
        return new FaultSchedule(faults);
    }

    public List<Fault> faults() {
        return faults;
    }

    private static String node(SplittableRandom random, int nodes) {
        return "node-" + (1 + random.nextInt(nodes));
    }

    private static String otherNode(SplittableRandom random, int nodes, String not) {
        String other = node(random, nodes);
        while (other.equals(not)) {
            other = node(random, nodes);
        }
        return other;
    }
}
