package dev.keyescrow.node.approval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.CheckpointFormat;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalCorruptException;
import dev.keyescrow.journal.JournalRecord;
import dev.keyescrow.journal.RecordFormat;
import dev.keyescrow.node.Ceremony;
import dev.keyescrow.node.MutableClock;
import dev.keyescrow.server.checkpoint.CheckpointSchedule;
import dev.keyescrow.server.checkpoint.CheckpointState;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adversary with write access to a stopped node's state directory, but not its token, edits
 * the checkpoint or the journal it references so the node would start with another state. Each
 * edit must make the start refuse, naming the checkpoint; a genuine older checkpoint (a rollback
 * of the file) changes nothing, because the checkpoint only vouches for the journal's records
 * and every one of them is replayed.
 */
class NodeCheckpointAttackTest {
    @TempDir
    Path state;

    private final SecureRandom random = new SecureRandom();
    private Ceremony ceremony;
    private SoftwareP256Signer identity;
    private final MutableClock clock = new MutableClock(Ceremony.NOW.plusSeconds(1));
    private byte[] honestDigest;

    private NodeService open() throws Exception {
        return NodeService.open("node-a", ceremony.coordinator.publicKey(), state, identity, clock,
                RequestTimeLimits.DEFAULT, new CheckpointSchedule(5));
    }

    @BeforeEach
    void history() throws Exception {
        ceremony = new Ceremony(random, "k1");
        identity = SoftwareP256Signer.generate(random);
        try (NodeService node = open()) {
            node.submit(ceremony.manifestEvent());
            for (int c = 1; c <= 5; c++) {
                node.submit(ceremony.countersignature(c));
            }
            node.submit(Ceremony.held("k1", 1, 1));
            node.submit(Ceremony.held("k1", 1, 2));
            for (int i = 1; i <= 4; i++) {
                CanonicalRequest request = ceremony.useRequest("req-" + i);
                node.submit(ceremony.requestEvent(request));
                node.answer(ceremony.answer(request, 1, Decision.APPROVE));
            }
            honestDigest = node.stateDigest();
        }
        // a clean stop checkpointed the head
        try (NodeService node = open()) {
            assertEquals(16, node.startedFromCheckpoint(), "started from the checkpoint the stop wrote");
            assertArrayEquals(honestDigest, node.stateDigest());
        }
    }

    private Path checkpointFile() {
        return state.resolve("journal").resolve(Journal.CHECKPOINT_FILE);
    }

    private Path journalFile() {
        return state.resolve("journal").resolve(Journal.JOURNAL_FILE);
    }

    private JournalCorruptException refused() {
        JournalCorruptException e = assertThrows(JournalCorruptException.class, this::open);
        assertTrue(e.getMessage().contains("checkpoint"), e.getMessage());
        return e;
    }

    @Test
    void aByteChangedInTheCheckpointRefusesStart() throws Exception {
        byte[] bytes = Files.readAllBytes(checkpointFile());
        bytes[bytes.length - 70] ^= 1; // in the state digest, under the signature
        Files.write(checkpointFile(), bytes);
        assertEquals(Defect.CHECKPOINT_INVALID, refused().fault().defect());
    }

    @Test
    void anotherMembersCheckpointRefusesStart() throws Exception {
        SoftwareP256Signer other = SoftwareP256Signer.generate(random);
        byte[] old = Files.readAllBytes(checkpointFile());
        var genuine = CheckpointFormat.decode(old);
        Files.write(checkpointFile(), CheckpointFormat.sign(other, genuine.sequence(), genuine.recordOffset(),
                genuine.headHash(), genuine.timeMillis(), genuine.state()).encoded());
        assertEquals(Defect.CHECKPOINT_INVALID, refused().fault().defect());
    }

    @Test
    void aJournalCutBelowTheCheckpointRefusesStart() throws Exception {
        List<byte[]> frames = frames();
        writeFrames(frames.subList(0, frames.size() - 2)); // the last answer and request gone
        assertEquals(Defect.CHECKPOINT_MISMATCH, refused().fault().defect());
    }

    /**
     * The prefix a checkpoint covers is replayed without record signatures, so the adversary
     * rewrites a record there and re-chains every later record with their own key: the hash
     * at the checkpointed sequence then differs from the signed one.
     */
    @Test
    void aRewrittenAndRechainedPrefixRefusesStart() throws Exception {
        SoftwareP256Signer forger = SoftwareP256Signer.generate(random);
        List<byte[]> frames = frames();
        List<byte[]> forged = new ArrayList<>();
        byte[] previous = RecordFormat.genesisHash(identity.publicKey());
        for (byte[] frame : frames) {
            JournalRecord r = RecordFormat.decode(frame);
            byte[] body = r.body();
            if (r.sequence() == 7) { // the first held share: point it at another blob
                body = new String(body, StandardCharsets.UTF_8).replace("0".repeat(63) + "1", "f".repeat(63) + "1")
                        .getBytes(StandardCharsets.UTF_8);
                assertTrue(!java.util.Arrays.equals(body, r.body()), "the edit changed the record");
            }
            JournalRecord re = RecordFormat.sign(forger, r.sequence(), r.timeMillis(), previous, r.kind(), body);
            forged.add(re.encoded());
            previous = re.hash();
        }
        writeFrames(forged);
        assertEquals(Defect.CHECKPOINT_MISMATCH, refused().fault().defect());
        // without the checkpoint, the full replay checks every signature
        Files.delete(checkpointFile());
        JournalCorruptException full = assertThrows(JournalCorruptException.class, this::open);
        assertEquals(Defect.BAD_SIGNATURE, full.fault().defect());
    }

    /**
     * A checkpoint that verifies but describes another state than its journal gives (a node
     * version that applies events differently, or a writer key in the wrong hands): refused.
     */
    @Test
    void aSignedCheckpointWhoseStateDiffersRefusesStart() throws Exception {
        var genuine = CheckpointFormat.decode(Files.readAllBytes(checkpointFile()));
        byte[] otherState = new byte[32];
        random.nextBytes(otherState);
        Files.write(checkpointFile(), CheckpointFormat.sign(identity, genuine.sequence(), genuine.recordOffset(),
                genuine.headHash(), genuine.timeMillis(), new CheckpointState("node", otherState).encode()).encoded());
        JournalCorruptException e = refused();
        assertEquals(Defect.CHECKPOINT_MISMATCH, e.fault().defect());
        assertTrue(e.getMessage().contains("gives state"), e.getMessage());
    }

    /** Putting back an older genuine checkpoint (a backup of the file) rolls nothing back. */
    @Test
    void anOlderGenuineCheckpointChangesNothing() throws Exception {
        List<byte[]> frames = frames();
        Files.delete(checkpointFile());
        writeFrames(frames.subList(0, 15));
        try (NodeService node = open()) {
            assertEquals(0, node.startedFromCheckpoint());
        } // the node's own clean stop checkpoints record 15: the older file the adversary kept
        writeFrames(frames);
        try (NodeService node = open()) {
            assertEquals(15, node.startedFromCheckpoint());
            assertArrayEquals(honestDigest, node.stateDigest(), "every record is replayed: nothing rolled back");
            assertEquals(List.of("custodian-1"), node.view("req-4").approvers());
        }
    }

    @Test
    void aLeftoverTemporaryCheckpointIsIgnored() throws Exception {
        Path tmp = state.resolve("journal").resolve("checkpoint.tmp");
        byte[] genuine = Files.readAllBytes(checkpointFile());
        Files.write(tmp, java.util.Arrays.copyOf(genuine, genuine.length / 2)); // killed mid-write
        try (NodeService node = open()) {
            assertArrayEquals(honestDigest, node.stateDigest());
        }
        assertFalse(Files.exists(tmp), "a leftover temporary checkpoint is deleted on open");
    }

    private List<byte[]> frames() throws Exception {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(journalFile()));
        List<byte[]> frames = new ArrayList<>();
        while (in.hasRemaining()) {
            byte[] frame = new byte[in.getInt()];
            in.get(frame);
            frames.add(frame);
        }
        return frames;
    }

    private void writeFrames(List<byte[]> frames) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(f.length).array());
            out.writeBytes(f);
        }
        Files.write(journalFile(), out.toByteArray());
    }
}
