package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.cli.cluster.ClusterLayout;
import dev.keyescrow.cli.cluster.LocalCluster;
import dev.keyescrow.cli.cluster.MemberProcess;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code escrow demo} itself, end to end (not timed), in its JSON form so the test can read it. */
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void theDemoRunsTheWholeCeremonyAndLeavesNoProcessBehind() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), "demo", "--dir",
                dir.toString(), "--json");
        String stdout = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, stdout + err.toString(StandardCharsets.UTF_8));
        JsonObject summary = new JsonObject(stdout);
        assertEquals("ok", summary.getString("result"));
        assertEquals(6, summary.getString("kcv").length());
        assertEquals(13, summary.getJsonArray("steps").size());
        String log = String.join("\n", summary.getJsonArray("ceremonyLog").getList());
        assertTrue(log.contains("KCV " + summary.getString("kcv")), log);
        assertTrue(log.contains("approved by [custodian-1, custodian-3, custodian-5]"), log);
        assertTrue(log.contains("shred receipts from"), log);
        assertTrue(log.contains("REFRESH") && log.contains("same KCV"), log);
        assertTrue(log.contains("RESHARE") && log.contains("2-of-3"), log);
        for (MemberProcess m : LocalCluster.recorded(new ClusterLayout(dir))) {
            assertFalse(ProcessHandle.of(m.pid()).map(ProcessHandle::isAlive).orElse(false), m.id() + " still runs");
        }
    }
}
