package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/audit/verify} needs no token and re-reads the whole journal, checking every
 * record's chain and signature. Anyone who reaches the port sends it many times at once: before
 * the fix each call was a read of its own (20 calls, 20 reads), so a long journal kept the
 * coordinator's worker threads reading for as long as the caller liked. Now the calls share one
 * read: at most two for 20 concurrent calls (one if they all land within the same 10 s).
 */
class AuditVerifyFloodAttackTest {
    private static final int CALLS = 20;

    @TempDir
    Path dir;

    @Test
    void concurrentVerificationsShareOneRead() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, Duration.ofSeconds(5))) {
            cluster.registerCustodians();
            cluster.createActiveKey("audited-key");
            long before = cluster.metric("keyescrow_coordinator_audit_reads_total");
            ExecutorService callers = Executors.newFixedThreadPool(CALLS);
            List<Future<TestCluster.Response>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < CALLS; i++) {
                    answers.add(callers.submit(() -> cluster.get("/v1/audit/verify")));
                }
                Set<String> verifiedAt = new TreeSet<>();
                for (Future<TestCluster.Response> answer : answers) {
                    TestCluster.Response r = answer.get(60, TimeUnit.SECONDS);
                    assertEquals(200, r.status(), r.body());
                    JsonObject report = r.json();
                    assertTrue(report.getBoolean("ok"), r.body());
                    verifiedAt.add(report.getString("verifiedAt"));
                }
                long reads = cluster.metric("keyescrow_coordinator_audit_reads_total") - before;
                assertTrue(reads >= 1 && reads <= 2, CALLS + " concurrent calls read the journal " + reads + " times");
                assertEquals(reads, verifiedAt.size(), "each answer names the read it shares: " + verifiedAt);
            } finally {
                callers.shutdownNow();
            }
        }
    }
}
