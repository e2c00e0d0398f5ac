package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.coordinator.cluster.ClusterUnavailableException;
import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.Custodian;
import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.ledger.KeyState;
import dev.keyescrow.coordinator.ledger.KeyVersionView;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.ShareSender;
import dev.keyescrow.hsm.spec.Statements;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs key ceremonies (design: two-phase creation) and collects countersignatures.
 *
 * <p>Stage: the material is generated (or taken over from the caller: REFRESH, RESHARE,
 * import) and split, each share committed to (fresh salt) and wrapped for its node; then
 * the plaintext key and every share are zeroed, before anything is published — from then
 * on the coordinator holds no plaintext of this key. The unsigned
 * manifest is journaled ({@code ceremony-started}), the signed imports published, and each
 * node's receipt checked against the envelope sent and journaled after its signature
 * verified under the node's pinned identity key. With every receipt the manifest is signed
 * ({@code version-created}, PRE_ACTIVE) and published; the imports are withdrawn from the
 * cluster (they are no longer needed, and a shredded share must not stay importable).
 *
 * <p>Commit: each custodian countersigns; with all {@code n} the version becomes ACTIVE, and
 * any older ACTIVE version of the key DEACTIVATED (a rotation ends only when its successor
 * is usable, so a key is never without an active version). A ceremony that misses a receipt
 * within the timeout, or was interrupted by a restart, is rolled back: journaled as failed,
 * its imports withdrawn, its version number never reused.
 */
public final class KeyCeremony {
    private final CoordinatorService service;
    private final NodeRegistry nodes;
    private final Signer coordinator;
    private final CoordinatorClusterBridge cluster;
    private final SecureRandom random;
    private final Duration receiptTimeout;
    private final Consumer<String> problems;
    private final Map<String, ReceiptCollector> collectors = new ConcurrentHashMap<>();

    public KeyCeremony(CoordinatorService service, NodeRegistry nodes, Signer coordinator,
            CoordinatorClusterBridge cluster, SecureRandom random, Duration receiptTimeout, Consumer<String> problems) {
        this.service = service;
        this.nodes = nodes;
        this.coordinator = coordinator;
        this.cluster = cluster;
        this.random = random;
        this.receiptTimeout = receiptTimeout;
        this.problems = problems;
    }

    /** A signed import: what is published, and the envelope digest its receipt must name. */
    private record SignedImport(ImportMessage message, String envelopeDigest) {
    }

    /**
     * Creates version {@code service.nextVersion(keyId)} of {@code keyId}, shared among
     * {@code custodians} (in this order: custodian i holds share i) with threshold {@code threshold}.
     *
     * @throws RefusedException a rule is broken (unknown node, running ceremony), or the
     *                          nodes did not confirm in time (rolled back)
     */
    public CreatedVersion create(String keyId, KeyAlgorithm algorithm, int threshold, List<Custodian> custodians)
            throws RefusedException, IOException, KeyEscrowException {
        return run(stage(keyId, algorithm, threshold, custodians, null));
    }

    /**
     * As {@link #create(String, KeyAlgorithm, int, List)}, but shares {@code material} (REFRESH,
     * RESHARE and import: the same key, so the same KCV, under new shares) instead of fresh
     * material, which the ceremony takes over: see {@link #stage}.
     */
    public CreatedVersion create(String keyId, KeyAlgorithm algorithm, int threshold, List<Custodian> custodians,
            SecretBytes material) throws RefusedException, IOException, KeyEscrowException {
        return run(stage(keyId, algorithm, threshold, custodians, material));
    }

    /**
     * As {@link #create(String, KeyAlgorithm, int, List, SecretBytes)} for an Ed25519 seed
     * split as a FROST key (RFC 9591 trusted dealer): the shares are scalars modulo the group
     * order and the manifest pins the group public key and every verification share.
     */
    public CreatedVersion createFrost(String keyId, int threshold, List<Custodian> custodians, SecretBytes seed)
            throws RefusedException, IOException, KeyEscrowException {
        try (seed) {
            return run(split(keyId, service.nextVersion(keyId), KeyAlgorithm.ED25519, threshold, custodians, seed,
                    true));
        }
    }

    /**
     * The first half of a ceremony: generates the material (if {@code material} is null) or
     * takes {@code material} over, splits it for version {@code service.nextVersion(keyId)},
     * commits to each share and wraps it for its node. The key and every share are zeroed
     * before this returns, on every path, so no plaintext key waits for the background
     * thread, the network or the receipts. Nothing is journaled or published.
     *
     * @throws RefusedException a rule is broken (unknown node, invalid parameters)
     */
    public StagedCeremony stage(String keyId, KeyAlgorithm algorithm, int threshold, List<Custodian> custodians,
            SecretBytes material) throws RefusedException, KeyEscrowException {
        try (SecretBytes key = material != null ? material : KeyMaterial.generate(algorithm, random)) {
            return split(keyId, service.nextVersion(keyId), algorithm, threshold, custodians, key, false);
        }
    }

    /**
     * The second half: journals the ceremony, publishes the imports and waits for every
     * receipt, then signs and publishes the manifest (PRE_ACTIVE).
     *
     * @throws RefusedException a rule is broken (a ceremony of the key is running, or another
     *                          one took this version since it was staged), or the nodes did
     *                          not confirm in time (rolled back)
     */
    public CreatedVersion run(StagedCeremony staged) throws RefusedException, IOException, KeyEscrowException {
        Manifest manifest = staged.manifest();
        String keyId = manifest.keyId();
        int version = manifest.version();
        byte[] publicKey = staged.publicKey();
        service.submit(new CoordinatorEvent.CeremonyStarted(new String(manifest.canonicalJson(),
                StandardCharsets.UTF_8), publicKey));
        dev.keyescrow.coordinator.CrashPoints.reach(dev.keyescrow.coordinator.CrashPoints.CEREMONY_STARTED);
        List<SignedImport> imports = new ArrayList<>();
        for (StagedCeremony.Import i : staged.imports()) {
            imports.add(signedImport(keyId, version, i));
        }
        Map<Integer, ReceiptCollector.Expected> expected = new LinkedHashMap<>();
        for (SignedImport s : imports) {
            expected.put(s.message().index(), new ReceiptCollector.Expected(s.message().nodeId(),
                    s.message().length(), s.envelopeDigest()));
        }
        ReceiptCollector collector = new ReceiptCollector(expected);
        String ceremonyKey = keyId + "/" + version;
        collectors.put(ceremonyKey, collector);
        try {
            for (SignedImport s : imports) {
                cluster.publishImport(s.message().key(), s.message().encode());
            }
            dev.keyescrow.coordinator.CrashPoints.reach(
                    dev.keyescrow.coordinator.CrashPoints.CEREMONY_IMPORTS_PUBLISHED);
            collector.completion().get(receiptTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw rollBack(manifest, "nodes " + collector.missingNodes() + " did not confirm their shares within "
                    + receiptTimeout.toSeconds() + " s");
        } catch (ClusterUnavailableException e) {
            throw rollBack(manifest, e.getMessage());
        } catch (InterruptedException e) {
            // the journal's channel is interruptible: roll back first, then restore the flag
            try {
                throw rollBack(manifest, "interrupted while waiting for receipts");
            } finally {
                Thread.currentThread().interrupt();
            }
        } catch (ExecutionException e) {
            throw rollBack(manifest, "receipts failed: " + e.getCause().getClass().getSimpleName());
        } finally {
            collectors.remove(ceremonyKey);
        }
        byte[] signature = CoordinatorStatement.sign(coordinator, Kind.MANIFEST, manifest.digest());
        service.submit(new CoordinatorEvent.VersionCreated(keyId, version, signature));
        cluster.publishManifest(ceremonyKey, new ManifestMessage(new String(manifest.canonicalJson(),
                StandardCharsets.UTF_8), signature, Map.of()).encode());
        withdrawImports(manifest);
        return new CreatedVersion(manifest, KeyState.PRE_ACTIVE, publicKey);
    }

    /** Splits, commits and wraps {@code material} (which the caller zeroes); zeroes the shares on every path. */
    private StagedCeremony split(String keyId, int version, KeyAlgorithm algorithm, int threshold,
            List<Custodian> custodians, SecretBytes material, boolean frost)
            throws RefusedException, KeyEscrowException {
        List<EnrolledNode> holders = new ArrayList<>();
        for (Custodian c : custodians) {
            holders.add(nodes.find(c.nodeId()).orElseThrow(() -> new RefusedException(RefusalReason.INVALID,
                    "custodian " + c.id() + "'s node " + c.nodeId() + " is not enrolled")));
        }
        List<Share> shares = List.of();
        try {
            Kcv kcv = KeyMaterial.kcvOf(algorithm, material);
            byte[] publicKey = algorithm == KeyAlgorithm.AES_256 ? new byte[0]
                    : KeyMaterial.publicKeyOf(algorithm, material);
            FrostPublicKeys frostKeys = null;
            if (frost) {
                FrostDealing.Dealt dealt = FrostDealing.split(material, threshold, custodians.size(), random);
                shares = dealt.shares();
                frostKeys = dealt.keys();
            } else {
                shares = new Shamir(random).split(material, threshold, custodians.size());
            }
            List<Holder> manifestHolders = new ArrayList<>();
            List<byte[]> envelopes = new ArrayList<>();
            for (Share share : shares) {
                Custodian custodian = custodians.get(share.index() - 1);
                byte[] salt = new byte[ShareCommitment.SALT_LENGTH];
                random.nextBytes(salt);
                manifestHolders.add(new Holder(share.index(), custodian.id(), custodian.publicKey(),
                        custodian.nodeId(), ShareCommitment.compute(keyId, version, share, salt)));
                ShareRef ref = new ShareRef(keyId, version, share.index(), share.value().length());
                envelopes.add(ShareSender.wrapForImport(holders.get(share.index() - 1).transportPublicKey(), ref,
                        share.value(), random));
            }
            Manifest manifest = new Manifest(keyId, version, algorithm, threshold, manifestHolders, kcv, frostKeys);
            List<StagedCeremony.Import> imports = new ArrayList<>();
            for (int i = 0; i < envelopes.size(); i++) {
                // a FROST share is a 32-byte scalar; a Shamir share is as long as the key
                imports.add(new StagedCeremony.Import(holders.get(i).id(), i + 1, shares.get(i).value().length(),
                        envelopes.get(i)));
            }
            return new StagedCeremony(manifest, imports, publicKey);
        } catch (InvalidPeerKeyException e) {
            throw new RefusedException(RefusalReason.INVALID, "a node's pinned transport key was refused: "
                    + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.INVALID, e.getMessage());
        } finally {
            shares.forEach(Share::destroy);
        }
    }

    /** Signs a staged import, its deadline counted from now: when the ceremony starts, not when it was staged. */
    private SignedImport signedImport(String keyId, int version, StagedCeremony.Import staged)
            throws KeyEscrowException {
        // the window outlasts the receipt wait, and bounds when a recorded import can be replayed
        Instant deadline = service.now().plus(receiptTimeout.compareTo(ImportMessage.WINDOW) > 0 ? receiptTimeout
                : ImportMessage.WINDOW);
        byte[] envelope = staged.envelope();
        ImportMessage unsigned = new ImportMessage(staged.nodeId(), keyId, version, staged.index(), staged.length(),
                deadline, envelope, new byte[64]);
        byte[] signature = CoordinatorStatement.sign(coordinator, Kind.IMPORT, unsigned.digest());
        return new SignedImport(new ImportMessage(staged.nodeId(), keyId, version, staged.index(), staged.length(),
                deadline, envelope, signature), HexFormat.of().formatHex(Statements.sha256(envelope)));
    }

    /**
     * Journals the failure, withdraws the imports and tells the nodes (a signed rollback) to
     * shred what they imported; returns the refusal for the caller to throw.
     */
    private RefusedException rollBack(Manifest manifest, String reason) throws IOException, KeyEscrowException {
        service.submit(new CoordinatorEvent.CeremonyFailed(manifest.keyId(), manifest.version(), reason));
        try {
            withdrawImports(manifest);
        } catch (ClusterUnavailableException e) {
            problems.accept("imports of " + manifest.keyId() + " v" + manifest.version()
                    + " could not be withdrawn: " + e.getMessage());
        }
        publishRollback(manifest);
        return new RefusedException(RefusalReason.CLUSTER_UNAVAILABLE, "the ceremony for " + manifest.keyId() + " v"
                + manifest.version() + " was rolled back: " + reason);
    }

    private void withdrawImports(Manifest manifest) {
        for (Holder h : manifest.holders()) {
            cluster.withdrawImport(manifest.keyId() + "/" + manifest.version() + "/" + h.index());
        }
    }

    /**
     * Publishes the signed rollback of a ceremony that never committed. Nodes that imported
     * a share of it keep it otherwise, and a share kept survives every later DESTROY of the
     * key (it is re-wrapped with the survivors). A failure is reported, not thrown: the
     * rollback is published again at the next start and whenever a member joins.
     */
    private void publishRollback(Manifest manifest) {
        try {
            byte[] signature = CoordinatorStatement.sign(coordinator, Kind.ROLLBACK,
                    rollbackOf(manifest, new byte[64]).digest());
            RollbackMessage signed = rollbackOf(manifest, signature);
            cluster.publishRollback(signed.key(), signed.encode());
        } catch (KeyEscrowException | RuntimeException e) {
            problems.accept("the rollback of " + manifest.keyId() + " v" + manifest.version()
                    + " could not be published: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Publishes the rollback of every ceremony rolled back so far again, as
     * {@link #republishManifests} does for manifests: a node down at the time, or a map entry
     * lost with its partition, must not leave shares of a never-committed version behind.
     * Nodes answer a rollback they have done already with the same receipt and nothing else;
     * a rollback every holder's node has receipted (journaled) is not published again.
     */
    public void republishRollbacks() {
        for (Manifest manifest : service.rollbacksAwaitingReceipts()) {
            publishRollback(manifest);
        }
    }

    /**
     * Handles a node's receipt for a rollback ({@code RollbackReceiptMessage}, which names the
     * rolled-back ceremony) from the cluster: verified and journaled, so the rollback is no longer
     * published again once every holder's node receipted it, and the audit shows it. Anything
     * else under that map (a shred receipt, say) is refused. Never throws for bad input.
     */
    public void onRollbackReceipt(byte[] value) {
        RollbackReceiptMessage receipt;
        try {
            receipt = RollbackReceiptMessage.decode(value);
        } catch (FormatException | IllegalArgumentException e) {
            problems.accept("rollback receipt refused: " + e.getMessage());
            return;
        }
        try {
            service.submit(new CoordinatorEvent.RollbackReceiptVerified(receipt.keyId(), receipt.version(),
                    receipt.manifestDigest(), receipt.nodeId(), receipt.epoch(), receipt.destroyed(),
                    receipt.signature()));
        } catch (RefusedException e) {
            problems.accept("rollback receipt refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("rollback receipt not journaled: " + e.getMessage());
        }
    }

    private static RollbackMessage rollbackOf(Manifest manifest, byte[] signature) {
        return new RollbackMessage(manifest.keyId(), manifest.version(), manifest.digest(), signature);
    }

    /**
     * Rolls back ceremonies that had not committed when the coordinator stopped (the reference design,
     * Coordinator restart): never half-created.
     */
    public void rollBackUnfinished() throws IOException, KeyEscrowException {
        for (Manifest manifest : service.runningCeremonies()) {
            problems.accept(rollBack(manifest, "the coordinator restarted before the ceremony committed")
                    .getMessage());
        }
    }

    /** Handles an import receipt from the cluster; never throws for bad input. */
    public void onReceipt(byte[] value) {
        ImportReceiptMessage receipt;
        try {
            receipt = ImportReceiptMessage.decode(value);
        } catch (FormatException | IllegalArgumentException e) {
            problems.accept("import receipt refused: " + e.getMessage());
            return;
        }
        ReceiptCollector collector = collectors.get(receipt.keyId() + "/" + receipt.version());
        if (collector == null) {
            return; // a receipt of a finished ceremony, re-delivered: nothing to do
        }
        String mismatch = collector.mismatch(receipt);
        if (mismatch != null) {
            problems.accept("import receipt refused: " + mismatch);
            return;
        }
        try {
            service.submit(new CoordinatorEvent.ReceiptVerified(receipt.keyId(), receipt.version(), receipt.index(),
                    receipt.length(), receipt.nodeId(), receipt.envelopeDigest(), receipt.storedBlobDigest(),
                    receipt.signature()));
            collector.accepted(receipt.index());
        } catch (RefusedException e) {
            problems.accept("import receipt refused: " + e.getMessage());
        } catch (IOException | KeyEscrowException e) {
            problems.accept("import receipt not journaled: " + e.getMessage());
        }
    }

    /**
     * Verifies and records a custodian's countersignature, republishes the manifest with every
     * countersignature so far, and commits the version (ACTIVE) once all are in.
     *
     * @return the version's state afterwards
     */
    public KeyState countersign(String keyId, int version, String custodianId, byte[] signature)
            throws RefusedException, IOException, KeyEscrowException {
        service.submit(new CoordinatorEvent.Countersigned(keyId, version, custodianId, signature));
        KeyVersionView view = service.version(keyId, version).orElseThrow();
        cluster.publishManifest(keyId + "/" + version, new ManifestMessage(view.canonical(),
                view.coordinatorSignature(), view.countersignatures()).encode());
        if (view.state() == KeyState.PRE_ACTIVE && view.countersignatures().size() == view.manifest().shareCount()) {
            service.submit(new CoordinatorEvent.VersionStateChanged(keyId, version, KeyState.ACTIVE,
                    "every custodian countersigned the manifest"));
            for (KeyVersionView older : service.versions(keyId)) {
                if (older.version() < version && older.state() == KeyState.ACTIVE) {
                    service.submit(new CoordinatorEvent.VersionStateChanged(keyId, older.version(),
                            KeyState.DEACTIVATED, "rotated: v" + version + " is active"));
                }
            }
        }
        return service.version(keyId, version).orElseThrow().state();
    }

    /**
     * Publishes every version's manifest again with all its countersignatures, as
     * {@link #countersign} last did. A manifest otherwise reaches the cluster only when it is
     * made and at each countersignature; a node that was down then and finds the entry gone
     * when it catches up (two members died together and took the entry's partition with them)
     * would never pin the version, refuse its requests, and keep the share of the version it
     * replaces after that one is DESTROYED. Nodes admit a manifest they have again as a no-op.
     */
    public void republishManifests() {
        for (String keyId : service.keyIds()) {
            for (KeyVersionView view : service.versions(keyId)) {
                try {
                    cluster.publishManifest(keyId + "/" + view.manifest().version(), new ManifestMessage(
                            view.canonical(), view.coordinatorSignature(), view.countersignatures()).encode());
                } catch (RuntimeException e) {
                    problems.accept("the manifest of " + keyId + " v" + view.manifest().version()
                            + " could not be published again: " + e.getClass().getSimpleName());
                }
            }
        }
    }
}
