package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.server.checkpoint.CheckpointSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any history of admissions, answers (local and from other nodes, either decision),
 * releases and clean restarts, written with any checkpoint interval: the node's state restored
 * from its last checkpoint plus the journal's tail equals the state a full replay gives.
 */
class NodeCheckpointProperties {
    /** One step: what (0 admit, 1 local answer, 2 remote answer, 3 release, 4 restart), on which request, by whom. */
    record Step(int what, int request, int custodian, boolean approve) {
    }

    @Provide
    Arbitrary<Step> step() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 5), Arbitraries.of(true, false)).as(Step::new);
    }

    @Property(tries = 25)
    void checkpointPlusTailEqualsFullReplay(@ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("step") Step> steps,
                                            @ForAll @IntRange(min = 1, max = 7) int interval,
                                            @ForAll long seed) throws Exception {
        Path dir = Files.createTempDirectory("checkpoint-property");
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            Ceremony ceremony = new Ceremony(random, "k1");
            SoftwareP256Signer identity = SoftwareP256Signer.generate(random);
            MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
            Path state = dir.resolve("state");
            CheckpointSchedule schedule = new CheckpointSchedule(interval);
            List<CanonicalRequest> requests = new ArrayList<>();
            NodeService node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity, clock,
                    RequestTimeLimits.DEFAULT, schedule);
            node.submit(ceremony.manifestEvent());
            for (int c = 1; c <= 5; c++) {
                node.submit(ceremony.countersignature(c));
            }
            node.submit(Ceremony.held("k1", 1, 1));
            node.submit(Ceremony.held("k1", 1, 2));
            for (Step s : steps) {
                if (s.what() == 4) {
                    node.close();
                    node = NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity, clock,
                            RequestTimeLimits.DEFAULT, schedule);
                    continue;
                }
                if (s.what() == 0 || requests.isEmpty()) {
                    CanonicalRequest request = ceremony.useRequest("req-" + requests.size());
                    requests.add(request);
                    node.submit(ceremony.requestEvent(request));
                    continue;
                }
                CanonicalRequest request = requests.get(s.request() % requests.size());
                Decision decision = s.approve() ? Decision.APPROVE : Decision.DENY;
                try {
                    switch (s.what()) {
                        case 1 -> node.answer(ceremony.answer(request, 1 + s.custodian() % 2, decision));
                        case 2 -> node.submit(new NodeEvent.AnswerAccepted(
                                ceremony.answer(request, s.custodian(), decision), false));
                        default -> node.submit(Ceremony.released(request.requestId(), 1 + s.custodian() % 2));
                    }
                } catch (NodeRefusedException refused) {
                    // a step the rules refuse changes nothing: part of the history too
                }
            }
            // a crash now: copy the state as it is on disk (periodic checkpoint + tail)
            Path crashed = dir.resolve("crashed");
            copyTree(state, crashed);
            byte[] live = node.stateDigest();
            List<String> liveViews = views(node);
            node.close();
            Path full = dir.resolve("full");
            copyTree(crashed, full);
            Files.deleteIfExists(full.resolve("journal").resolve(Journal.CHECKPOINT_FILE));
            try (NodeService fromCheckpoint = NodeService.open("node-a", ceremony.coordinator.publicKey(), crashed,
                    identity, clock, RequestTimeLimits.DEFAULT, schedule);
                 NodeService replayed = NodeService.open("node-a", ceremony.coordinator.publicKey(), full,
                         identity, clock, RequestTimeLimits.DEFAULT, schedule)) {
                assertEquals(0, replayed.startedFromCheckpoint());
                org.junit.jupiter.api.Assertions.assertTrue(fromCheckpoint.startedFromCheckpoint() > 0,
                        "the setup alone passes the interval: a checkpoint is on disk");
                assertArrayEquals(replayed.stateDigest(), fromCheckpoint.stateDigest());
                assertArrayEquals(live, fromCheckpoint.stateDigest());
                assertEquals(liveViews, views(fromCheckpoint));
                assertEquals(views(replayed), views(fromCheckpoint));
            }
        } finally {
            deleteTree(dir);
        }
    }

    private static List<String> views(NodeService node) {
        List<String> out = new ArrayList<>();
        for (var v : node.views(null)) {
            String id = v.request().requestId();
            try {
                out.add(id + " " + v.digest() + " " + v.state() + " " + v.approvers() + " local="
                        + node.localAnswers(id).stream().map(a -> a.custodianId() + ":" + a.decision()).toList()
                        + " released=" + node.releases(id).stream().map(NodeEvent.ShareReleased::index).toList()
                        + " due=" + node.dueReleases(id));
            } catch (NodeRefusedException e) {
                throw new AssertionError(e);
            }
        }
        out.add("due " + node.allDueReleases());
        return out;
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

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
