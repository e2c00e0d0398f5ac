package dev.keyescrow.cli.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.ReplayHandler;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hop breakdown reads real journals, written as the members write them, at known times. */
class HopBreakdownTest {
    private static final long T = 1_800_000_000_000L;
    private final SoftwareP256Signer signer = SoftwareP256Signer.generate(new SecureRandom());

    @Test
    void hopsAreTheDifferencesBetweenTheJournaledSteps(@TempDir Path dir) throws Exception {
        ClusterLayout layout = new ClusterLayout(dir);
        String canonical = new JsonObject().put("requestId", "req-1").encode();
        write(layout, ClusterLayout.COORDINATOR, "coordinator-event",
                at(T + 2, new JsonObject().put("event", "request-created").put("canonical", canonical)),
                at(T + 40, release("release-accepted")), at(T + 41, release("release-accepted")),
                at(T + 45, release("release-accepted")),
                at(T + 50, new JsonObject().put("event", "request-state").put("requestId", "req-1")
                        .put("state", "ACTIVE")),
                // another request's steps are not mixed in
                at(T + 1, new JsonObject().put("event", "request-state").put("requestId", "req-2")
                        .put("state", "ACTIVE")));
        write(layout, "node-1", "node-event", at(T + 10, answer("local")), at(T + 31, release("share-released")));
        write(layout, "node-2", "node-event", at(T + 12, answer("local")), at(T + 30, release("share-released")));
        // node-3 also takes node-1's answer from the cluster: not a custodian's step
        write(layout, "node-3", "node-event", at(T + 11, answer("cluster")), at(T + 20, answer("local")),
                at(T + 33, release("share-released")), at(T + 35, release("share-released")));

        HopBreakdown.Result result = HopBreakdown.of(layout, List.of("node-1", "node-2", "node-3"), List.of(
                new HopBreakdown.ClientTimes("req-1", T, T + 53, 53_000_000L),
                new HopBreakdown.ClientTimes("req-missing", T, T + 1, 1)), 3);

        assertEquals(1, result.rows().size());
        assertEquals(1, result.incomplete(), "a request without its journaled steps is counted, not guessed");
        assertArrayEquals(new long[] {2, 8, 2, 8, 13, 12, 5, 3}, result.rows().get(0));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        result.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("3rd approval -> 3rd node release journaled"), printed);
        assertTrue(printed.contains("p50   13 ms  p99   13 ms"), printed);
        assertTrue(printed.matches("(?s).*hops 5-7 together\\)\\s+p50\\s+30 ms\\s+p99\\s+30 ms.*"), printed);
    }

    /**
     * A SIGN's hops: the nodes' journaled commitments (round one) and signature shares (round
     * two) carry the request id inside their signed message; the t-th of each counts.
     */
    @Test
    void signHopsAreReadFromTheRoundsTheNodesJournal(@TempDir Path dir) throws Exception {
        ClusterLayout layout = new ClusterLayout(dir);
        String canonical = new JsonObject().put("requestId", "req-1").encode();
        write(layout, ClusterLayout.COORDINATOR, "coordinator-event",
                at(T + 2, new JsonObject().put("event", "request-created").put("canonical", canonical)),
                at(T + 40, new JsonObject().put("event", "request-state").put("requestId", "req-1")
                        .put("state", "APPROVED")),
                at(T + 70, new JsonObject().put("event", "request-state").put("requestId", "req-1")
                        .put("state", "EXECUTED")));
        write(layout, "node-1", "node-event", at(T + 10, answer("local")), at(T + 31, round("frost-committed")),
                at(T + 50, round("frost-signed")));
        write(layout, "node-2", "node-event", at(T + 12, answer("local")), at(T + 32, round("frost-committed")),
                at(T + 55, round("frost-signed")));
        write(layout, "node-3", "node-event", at(T + 20, answer("local")), at(T + 36, round("frost-committed")),
                at(T + 61, round("frost-signed")));
        // a fourth holder commits too (every holder does) but later, and is not called to sign
        write(layout, "node-4", "node-event", at(T + 45, round("frost-committed")));

        HopBreakdown.Result result = HopBreakdown.ofSign(layout, List.of("node-1", "node-2", "node-3", "node-4"),
                List.of(new HopBreakdown.ClientTimes("req-1", T, T + 72, 72_000_000L)), 3);

        assertEquals(0, result.incomplete());
        assertArrayEquals(new long[] {2, 8, 2, 8, 16, 25, 9, 2}, result.rows().get(0));
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        result.print(new PrintStream(text, true, StandardCharsets.UTF_8));
        String printed = text.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("(1 signatures;"), printed);
        assertTrue(printed.contains("3rd commitment -> 3rd signature share journaled (round 2)"), printed);
        assertTrue(printed.matches("(?s).*EXECUTED journaled \\(hops 5-7 together\\)\\s+p50\\s+50 ms.*"),
                printed);
        // read as a USE, the same journals have no reconstruction: counted as incomplete, not guessed
        assertEquals(1, HopBreakdown.of(layout, List.of("node-1", "node-2", "node-3"), List.of(
                new HopBreakdown.ClientTimes("req-1", T, T + 72, 72_000_000L)), 3).incomplete());
    }

    private static JsonObject round(String event) {
        return new JsonObject().put("event", event).put("message", new JsonObject().put("requestId", "req-1")
                .put("attempt", 1).encode());
    }

    private static JsonObject answer(String origin) {
        return new JsonObject().put("event", "answer-accepted").put("requestId", "req-1").put("decision", "APPROVE")
                .put("origin", origin);
    }

    private static JsonObject release(String event) {
        return new JsonObject().put("event", event).put("requestId", "req-1");
    }

    private static JsonObject at(long millis, JsonObject event) {
        return event.put("@at", millis);
    }

    private void write(ClusterLayout layout, String member, String kind, JsonObject... events) throws Exception {
        Path directory = layout.memberDir(member).resolve("state").resolve("journal");
        MutableClock clock = new MutableClock();
        try (Journal journal = Journal.open(directory, signer, clock, record -> { })) {
            for (JsonObject event : events) {
                clock.now = event.getLong("@at");
                JsonObject body = event.copy();
                body.remove("@at");
                journal.append(kind, body.encode().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static final class MutableClock extends Clock {
        long now;

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }
    }
}
