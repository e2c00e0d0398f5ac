package dev.keyescrow.coordinator.ceremony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorEvents;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.ReplayHandler;
import dev.keyescrow.server.cluster.ClusterSettings;
import dev.keyescrow.server.cluster.HazelcastMembers;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coordinator journals written before rollback receipts named their rollback hold receipts in
 * the old form: a {@code rollback-receipt-verified} record without {@code manifestDigest}, whose
 * signature is the node token's shred statement. Such a record still replays at start (the node
 * counts as having receipted), while a receipt in the old form is never accepted again, and the
 * nodes' receipts in the new form are accepted alongside it.
 */
class LegacyRollbackReceiptTest {
    private final SecureRandom random = new SecureRandom();
    private final List<SoftwareP256Signer> nodeKeys = new ArrayList<>();
    private HazelcastInstance member;
    private CoordinatorService service;

    @AfterEach
    void close() throws Exception {
        if (service != null) {
            service.close();
        }
        if (member != null) {
            member.shutdown();
        }
    }

    @Test
    void anOldFormReceiptReplays_butIsNeverAcceptedAgain(@TempDir Path dir) throws Exception {
        SoftwareP256Signer coordinator = SoftwareP256Signer.generate(random);
        List<EnrolledNode> enrolled = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            SoftwareP256Signer identity = SoftwareP256Signer.generate(random);
            nodeKeys.add(identity);
            try (EphemeralKey transport = EphemeralKey.generate(random)) {
                enrolled.add(EnrolledNode.of("node-" + i, "http://127.0.0.1:0/node-" + i, identity.publicKey(),
                        transport.publicKey()));
            }
        }
        NodeRegistry nodes = new NodeRegistry(enrolled);
        service = CoordinatorService.open(dir, coordinator, nodes, Clock.systemUTC());
        List<Custodian> custodians = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            byte[] custodianKey;
            try (SecretBytes key = Ed25519.generatePrivateKey(random)) {
                custodianKey = Ed25519.publicKeyOf(key);
            }
            service.submit(new CoordinatorEvent.CustodianRegistered("custodian-" + i, custodianKey, "node-" + i));
            custodians.add(service.custodian("custodian-" + i).orElseThrow());
        }
        // nobody imports: the ceremony times out and is rolled back
        int port = 20701 + random.nextInt(2000);
        member = HazelcastMembers.start(new ClusterSettings("legacy-" + UUID.randomUUID(), "127.0.0.1", port,
                List.of("127.0.0.1:" + port)));
        List<String> problems = new ArrayList<>();
        KeyCeremony ceremony = new KeyCeremony(service, nodes, coordinator, new CoordinatorClusterBridge(member,
                problems::add), random, Duration.ofSeconds(2), problems::add);
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        assertInstanceOf(RefusedException.class, assertThrows(Exception.class,
                () -> ceremony.create("legacy", KeyAlgorithm.AES_256, 2, custodians, SecretBytes.moveFrom(raw))));
        Manifest rolledBack = service.rollbacksAwaitingReceipts().get(0);
        String keyId = rolledBack.keyId();

        CoordinatorEvent.RollbackReceiptVerified oldForm = new CoordinatorEvent.RollbackReceiptVerified(keyId, 1, null,
                "node-1", 2, List.of(), nodeKeys.get(0).sign(Statements.shredReceipt("node-1", 2, List.of())));
        RefusedException refused = assertThrows(RefusedException.class, () -> service.submit(oldForm));
        assertTrue(refused.getMessage().contains("must name its rollback"), refused.getMessage());

        // as a journal written by the earlier version holds it
        service.close();
        service = null;
        try (Journal journal = Journal.open(dir.resolve(CoordinatorService.JOURNAL_DIRECTORY), coordinator,
                Clock.systemUTC(), ReplayHandler.IGNORE)) {
            journal.append(CoordinatorEvents.KIND, CoordinatorEvents.encode(oldForm));
        }
        service = CoordinatorService.open(dir, coordinator, nodes, Clock.systemUTC());
        List<CoordinatorEvent.RollbackReceiptVerified> replayed = service.signatures().rollbackReceipts();
        assertEquals(1, replayed.size(), replayed.toString());
        assertTrue(replayed.get(0).legacy());
        assertEquals("node-1", replayed.get(0).nodeId());

        // node-1 counts as receipted; node-2 and node-3 answer in the new form
        assertFalse(service.submit(newForm(rolledBack, 1, 3)), "node-1 receipted already");
        assertTrue(service.submit(newForm(rolledBack, 2, 2)));
        assertTrue(service.rollbacksAwaitingReceipts().stream().anyMatch(m -> m.keyId().equals(keyId)),
                "node-3 has not receipted yet");
        assertTrue(service.submit(newForm(rolledBack, 3, 2)));
        assertTrue(service.rollbacksAwaitingReceipts().isEmpty(), "every holder's node receipted");
    }

    private CoordinatorEvent.RollbackReceiptVerified newForm(Manifest manifest, int node, long epoch)
            throws Exception {
        String nodeId = "node-" + node;
        byte[] signature = nodeKeys.get(node - 1).sign(Statements.rollbackReceipt(nodeId, manifest.keyId(),
                manifest.version(), manifest.digest(), epoch, List.<ShareRef>of()));
        return new CoordinatorEvent.RollbackReceiptVerified(manifest.keyId(), manifest.version(), manifest.digest(),
                nodeId, epoch, List.of(), signature);
    }
}
