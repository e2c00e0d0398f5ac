package dev.keyescrow.node.cluster;

import dev.keyescrow.server.cluster.ClusterSettings;

import dev.keyescrow.server.cluster.HazelcastMembers;

import com.hazelcast.core.HazelcastInstance;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import dev.keyescrow.journal.blob.BlobStore;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.vault.NodeVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Queue;

/**
 * One real custodian node for cluster tests: a development-vault token (a real BCFKS file),
 * its signed journal, its blob store, its vault, a Hazelcast member and the bridge.
 */
final class NodeHarness implements AutoCloseable {
    final String nodeId;
    final Token token;
    final NodeService service;
    final BlobStore blobs;
    final NodeVault vault;
    final HazelcastInstance member;
    final NodeClusterBridge bridge;
    final dev.keyescrow.journal.WitnessLog witnessLog;

    NodeHarness(String nodeId, Path dir, byte[] coordinatorPublicKey, ClusterSettings cluster, Clock clock,
                Queue<String> refusals) throws Exception {
        this(nodeId, dir, coordinatorPublicKey, cluster, clock, refusals, false);
    }

    /** With {@code restart}, the node that ran in {@code dir} before starts again: same token, journal and blobs. */
    NodeHarness(String nodeId, Path dir, byte[] coordinatorPublicKey, ClusterSettings cluster, Clock clock,
                Queue<String> refusals, boolean restart) throws Exception {
        this.nodeId = nodeId;
        Files.createDirectories(dir);
        Path passphrase = dir.resolve("vault.pass");
        if (!restart) {
            Files.writeString(passphrase, "test-passphrase-" + nodeId);
        }
        this.token = restart
                ? SoftwareToken.open(DevelopmentMode.explicitlyEnabled(), dir.resolve("vault.bcfks"),
                        PinSource.fromFile(passphrase), nodeId, new SecureRandom())
                : SoftwareToken.provision(DevelopmentMode.explicitlyEnabled(), dir.resolve("vault.bcfks"),
                        PinSource.fromFile(passphrase), nodeId, new SecureRandom());
        Signer identity = token.identity();
        this.service = NodeService.open(nodeId, coordinatorPublicKey, dir, identity, clock);
        this.blobs = BlobStore.open(dir.resolve("blobs"));
        this.vault = new NodeVault(service, token, blobs, coordinatorPublicKey);
        this.member = HazelcastMembers.start(cluster);
        this.witnessLog = dev.keyescrow.journal.WitnessLog.open(dir.resolve("witness.log"));
        this.bridge = new NodeClusterBridge(member, service, vault, refusals::add,
                new dev.keyescrow.journal.HeadWitness(witnessLog), coordinatorPublicKey);
        bridge.start();
    }

    @Override
    public void close() throws Exception {
        bridge.close();
        witnessLog.close();
        member.shutdown();
        blobs.close();
        service.close();
        token.close();
    }
}
