package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.coordinator.cluster.ClusterUnavailableException;
import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgHolder;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgResultMessage;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Creates a FROST key by distributed key generation among the holders' nodes
 * ({@code docs/architecture.md}, decision "FROST keys by DKG"): the coordinator publishes a
 * signed call (key version, threshold, holders with their nodes' pinned keys, a fresh ceremony
 * id, a deadline), gathers the nodes' signed round-one packages and results, and never holds
 * the group secret nor any share: round-two shares travel node to node, encrypted to the
 * recipient's transport key, and each node's final share comes back in an envelope only that
 * node's token opens. With all n results checked against the public commitments, the manifest
 * (group key, verification shares, transcript digest) and those envelopes make a staged
 * ceremony that {@link KeyCeremony#run} completes as any other: journaled, imported, receipted,
 * countersigned. A complaint, a bad proof or a missing result aborts the DKG naming the node;
 * nodes have then stored nothing (their DKG state is in memory only).
 */
public final class DkgCeremony {
    private final CoordinatorService service;
    private final NodeRegistry nodes;
    private final Signer coordinator;
    private final CoordinatorClusterBridge cluster;
    private final KeyCeremony ceremony;
    private final SecureRandom random;
    private final Duration timeout;
    private final Consumer<String> problems;
    private final Map<String, DkgCollector> collectors = new ConcurrentHashMap<>();

    public DkgCeremony(CoordinatorService service, NodeRegistry nodes, Signer coordinator,
            CoordinatorClusterBridge cluster, KeyCeremony ceremony, SecureRandom random, Duration timeout,
            Consumer<String> problems) {
        this.service = service;
        this.nodes = nodes;
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.ceremony = ceremony;
        this.random = random;
        this.timeout = timeout;
        this.problems = problems;
    }

    /**
     * Creates version {@code service.nextVersion(keyId)} of {@code keyId} as a t-of-n FROST key
     * made by the nodes of {@code custodians} (custodian i's node makes share i).
     *
     * @throws RefusedException a node is not enrolled, or the DKG was aborted (the message names
     *                          the node), or the nodes did not finish in time
     */
    public CreatedVersion create(String keyId, int threshold, List<Custodian> custodians)
            throws RefusedException, IOException, KeyEscrowException {
        int version = service.nextVersion(keyId);
        List<DkgHolder> holders = new ArrayList<>();
        for (int i = 0; i < custodians.size(); i++) {
            Custodian c = custodians.get(i);
            EnrolledNode node = nodes.find(c.nodeId()).orElseThrow(() -> new RefusedException(RefusalReason.INVALID,
                    "custodian " + c.id() + "'s node " + c.nodeId() + " is not enrolled"));
            holders.add(new DkgHolder(i + 1, node.id(), node.identityPublicKey(), node.transportPublicKey()));
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String ceremonyId = "dkg-" + HexFormat.of().formatHex(id);
        Instant deadline = service.now().plus(timeout);
        DkgCallMessage unsigned;
        try {
            unsigned = new DkgCallMessage(ceremonyId, keyId, version, threshold, deadline, holders, new byte[64]);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.INVALID, e.getMessage());
        }
        DkgCallMessage call = new DkgCallMessage(ceremonyId, keyId, version, threshold, deadline, holders,
                CoordinatorStatement.sign(coordinator, Kind.DKG_CALL, unsigned.digest()));
        DkgCollector collector = new DkgCollector(call);
        collectors.put(ceremonyId, collector);
        FrostPublicKeys keys;
        try {
            cluster.publishDkgCall(call.key(), call.encode());
            keys = collector.completion().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw aborted(keyId, version, "nodes " + collector.missing() + " did not finish within "
                    + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw aborted(keyId, version, e.getCause().getMessage());
        } catch (ClusterUnavailableException e) {
            throw aborted(keyId, version, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw aborted(keyId, version, "interrupted");
        } finally {
            collectors.remove(ceremonyId);
            withdraw(call);
        }
        Map<Integer, DkgResultMessage> results = collector.results();
        List<Holder> manifestHolders = new ArrayList<>();
        List<StagedCeremony.Import> imports = new ArrayList<>();
        for (DkgHolder h : holders) {
            Custodian c = custodians.get(h.index() - 1);
            DkgResultMessage r = results.get(h.index());
            manifestHolders.add(new Holder(h.index(), c.id(), c.publicKey(), c.nodeId(), r.commitment()));
            imports.add(new StagedCeremony.Import(h.nodeId(), h.index(), 32, r.envelope()));
        }
        byte[] groupKey = keys.groupPublicKey();
        Manifest manifest = new Manifest(keyId, version, KeyAlgorithm.ED25519, threshold, manifestHolders,
                Kcv.ofPublicKey(groupKey), keys);
        return ceremony.run(new StagedCeremony(manifest, imports, groupKey));
    }

    private static RefusedException aborted(String keyId, int version, String why) {
        return new RefusedException(RefusalReason.CLUSTER_UNAVAILABLE, "the distributed key generation of " + keyId
                + " v" + version + " was aborted: " + why);
    }

    /** The call goes once the DKG is over: a node that restarts later must not find it. */
    private void withdraw(DkgCallMessage call) {
        try {
            cluster.withdrawDkg(call.ceremonyId(), call.holders().size());
        } catch (RuntimeException e) {
            problems.accept("the DKG messages of " + call.ceremonyId() + " could not be withdrawn: "
                    + e.getClass().getSimpleName());
        }
    }

    /** A node's round-one package from the cluster; never throws for bad input. */
    public void onPackage(byte[] value) {
        try {
            DkgPackageMessage m = DkgPackageMessage.decode(value);
            DkgCollector c = collectors.get(m.ceremonyId());
            if (c != null) {
                c.onPackage(m);
            }
        } catch (FormatException | SignatureException | IllegalArgumentException e) {
            problems.accept("dkg package refused: " + e.getMessage());
        }
    }

    /** A node's result from the cluster; never throws for bad input. */
    public void onResult(byte[] value) {
        try {
            DkgResultMessage m = DkgResultMessage.decode(value);
            DkgCollector c = collectors.get(m.ceremonyId());
            if (c != null) {
                c.onResult(m);
            }
        } catch (FormatException | SignatureException | IllegalArgumentException e) {
            problems.accept("dkg result refused: " + e.getMessage());
        }
    }

    /** A node's complaint from the cluster; never throws for bad input. */
    public void onComplaint(byte[] value) {
        try {
            DkgComplaintMessage m = DkgComplaintMessage.decode(value);
            DkgCollector c = collectors.get(m.ceremonyId());
            if (c != null) {
                c.onComplaint(m);
            }
        } catch (FormatException | SignatureException | IllegalArgumentException e) {
            problems.accept("dkg complaint refused: " + e.getMessage());
        }
    }
}
