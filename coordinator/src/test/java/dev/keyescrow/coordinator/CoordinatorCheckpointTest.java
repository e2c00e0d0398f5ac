package dev.keyescrow.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator checkpoints its ledger on a clean stop and starts from it: the ledger it
 * rebuilds equals the one a full replay gives, and a checkpoint edited on disk refuses the start.
 */
class CoordinatorCheckpointTest {
    @TempDir
    Path dir;

    @Test
    void aRestartStartsFromTheCheckpoint_equalToAFullReplay_andAnEditedCheckpointRefusesStart() throws Exception {
        try (TestCluster cluster = new TestCluster(dir, 3, Duration.ofSeconds(5))) {
            cluster.registerCustodians();
            String keyId = cluster.createActiveKey("checkpoint-key");
            TestCluster.Response r = cluster.post("/v1/keys/" + keyId + "/requests", new JsonObject()
                    .put("operation", "USE").put("reason", "checkpoint test").put("params", new JsonObject()
                            .put("maxOperations", 10).put("sessionSeconds", 600)), TestCluster.ALICE);
            assertEquals(201, r.status(), r.body());
            String requestId = r.json().getString("requestId");

            cluster.restartCoordinator();
            CoordinatorService service = cluster.server.coordinator().service();
            assertTrue(service.startedFromCheckpoint() > 0, "the clean stop wrote a checkpoint and the start used it");
            assertEquals("PENDING", cluster.get("/v1/requests/" + requestId).json().getString("state"));
            byte[] fromCheckpoint = service.stateDigest();

            cluster.server.close();
            Path stateDirectory = cluster.config.stateDirectory();
            Path copy = dir.resolve("full-replay");
            copyTree(stateDirectory, copy);
            Files.delete(copy.resolve("journal").resolve(Journal.CHECKPOINT_FILE));
            try (CoordinatorService full = CoordinatorService.open(copy, cluster.coordinatorToken.identity(),
                    new NodeRegistry(cluster.config.nodes()), cluster.clock)) {
                assertEquals(0, full.startedFromCheckpoint());
                assertArrayEquals(fromCheckpoint, full.stateDigest(), "checkpoint + tail = full replay");
            }

            Path checkpoint = stateDirectory.resolve("journal").resolve(Journal.CHECKPOINT_FILE);
            byte[] bytes = Files.readAllBytes(checkpoint);
            bytes[bytes.length - 70] ^= 1;
            Files.write(checkpoint, bytes);
            Exception refused = assertThrows(Exception.class, () -> cluster.server = CoordinatorServer.start(
                    cluster.config, cluster.coordinatorToken, cluster.clock));
            JournalCorruptException corrupt = refused instanceof JournalCorruptException j ? j
                    : (JournalCorruptException) refused.getCause();
            assertEquals(Defect.CHECKPOINT_INVALID, corrupt.fault().defect());
            assertTrue(corrupt.getMessage().contains("checkpoint"), corrupt.getMessage());
            // the operator's way out once the journal is trusted: the checkpoint is only a shortcut
            Files.delete(checkpoint);
            cluster.server = CoordinatorServer.start(cluster.config, cluster.coordinatorToken, cluster.clock);
            assertEquals("PENDING", cluster.get("/v1/requests/" + requestId).json().getString("state"));
        }
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
