package dev.keyescrow.node.vault;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.hsm.EpochRotation;
import dev.keyescrow.hsm.ImportedShare;
import dev.keyescrow.hsm.Release;
import dev.keyescrow.hsm.ReleaseRequest;
import dev.keyescrow.hsm.ShareBlob;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.SignedStatement;
import dev.keyescrow.hsm.StoredShare;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.spec.Statements;
import dev.keyescrow.journal.blob.BlobId;
import dev.keyescrow.journal.blob.BlobStore;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.NodeRefusalReason;
import dev.keyescrow.node.approval.NodeRefusedException;
import dev.keyescrow.node.metrics.NodeMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Imports, releases and shreds the node's shares through its {@link Token}.
 *
 * <p>The order of every step is what makes it safe: a share is held only once its blob is
 * durable and the import journaled; a release is journaled before it is published (so it is
 * never made twice) and kept so it can be published again; a shred journals the new epoch
 * (the marker) only after every surviving blob is durable, and only then lets the token
 * destroy the old KEK and sign the receipt. Methods are synchronized: imports and
 * rotations must not overlap (the token's contract).
 */
public final class NodeVault {
    private final NodeService service;
    private final Token token;
    private final BlobStore blobs;
    private final byte[] coordinatorPublicKey;
    private final NodeMetrics metrics;
    private final FrostRounds frost;
    private final DkgRounds dkg;

    public NodeVault(NodeService service, Token token, BlobStore blobs, byte[] coordinatorPublicKey) {
        this(service, token, blobs, coordinatorPublicKey, new NodeMetrics());
    }

    public NodeVault(NodeService service, Token token, BlobStore blobs, byte[] coordinatorPublicKey,
                     NodeMetrics metrics) {
        this.service = service;
        this.token = token;
        this.blobs = blobs;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
        this.metrics = metrics;
        this.frost = new FrostRounds(service, token, this, coordinatorPublicKey);
        this.dkg = new DkgRounds(service.nodeId(), token, coordinatorPublicKey, service::now);
    }

    /** This node's part in distributed key generation (FROST keys made without a dealer). */
    public DkgRounds dkg() {
        return dkg;
    }

    /** This node's part in SIGN's two rounds (FROST keys). */
    public FrostRounds frost() {
        return frost;
    }

    /**
     * Brings the token back to the journal's epoch after a crash mid-rotation: the epoch the
     * journal recorded as complete is kept, any other epoch KEK destroyed.
     */
    public synchronized void recover() throws KeyEscrowException {
        List<Long> epochs = token.epochs();
        if (epochs.size() > 1) {
            token.retainOnlyEpoch(service.epoch());
        }
    }

    /**
     * Imports a share the coordinator sent to this node, or, if it is held already, returns
     * the same receipt again (imports are idempotent).
     */
    public synchronized ImportReceiptMessage importShare(ImportMessage message)
            throws NodeRefusedException, IOException, KeyEscrowException {
        if (!message.nodeId().equals(service.nodeId())) {
            throw new NodeRefusedException(NodeRefusalReason.NOT_ON_THIS_NODE, "share " + message.key() + " is addressed to "
                    + message.nodeId());
        }
        try {
            CoordinatorStatement.verify(coordinatorPublicKey, Kind.IMPORT, message.digest(),
                    message.coordinatorSignature());
        } catch (SignatureException e) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE, "import of " + message.key()
                    + " is not signed by the pinned coordinator");
        }
        service.requireNotShredded(message.keyId(), message.version());
        String envelopeDigest = sha256Hex(message.envelope());
        Optional<NodeEvent.ShareHeld> held = service.held(message.key());
        if (held.isPresent()) {
            if (!held.get().envelopeDigest().equals(envelopeDigest)) {
                throw new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + message.key() + " was imported already"
                        + " from another envelope");
            }
            return receiptOf(held.get());
        }
        if (message.isLateAt(service.now())) {
            throw new NodeRefusedException(NodeRefusalReason.EXPIRED, "import of " + message.key() + " was due by "
                    + message.deadline() + "; its ceremony is over");
        }
        ShareRef ref = new ShareRef(message.keyId(), message.version(), message.index(), message.length());
        long started = System.nanoTime();
        ImportedShare imported = token.importShare(ref, message.envelope());
        metrics.hsm(NodeMetrics.HsmOperation.IMPORT, System.nanoTime() - started);
        byte[] blob = imported.stored().blob().encoded();
        BlobId id = blobs.put(blob);
        NodeEvent.ShareHeld event = new NodeEvent.ShareHeld(ref.keyId(), ref.version(), ref.index(), ref.length(),
                id.hex(), envelopeDigest, sha256Hex(blob), imported.receipt().signature());
        service.submit(event);
        metrics.imported();
        return receiptOf(event);
    }

    private ImportReceiptMessage receiptOf(NodeEvent.ShareHeld h) {
        return new ImportReceiptMessage(service.nodeId(), h.keyId(), h.version(), h.index(), h.length(),
                h.envelopeDigest(), h.storedBlobDigest(), h.receiptSignature());
    }

    /**
     * Releases every share of this node that {@code requestId} is due (the node's own count
     * reached t), journaling each release before returning it; releases made before are
     * returned again, never made again.
     */
    public synchronized List<ReleaseMessage> release(String requestId)
            throws NodeRefusedException, IOException, KeyEscrowException {
        CanonicalRequest request = service.request(requestId);
        byte[] digest = HexFormat.of().parseHex(request.digest());
        for (int index : service.dueReleases(requestId)) {
            NodeEvent.ShareHeld held = service.held(request.keyId() + "/" + request.version() + "/" + index)
                    .orElseThrow(() -> new IllegalStateException("a due share is not held"));
            StoredShare stored = stored(held);
            long started = System.nanoTime();
            // EXPORT goes straight to the recipient key the custodians approved, never to the coordinator
            ReleaseRequest toRelease = request.params() instanceof RequestParams.Export export
                    ? ReleaseRequest.toRecipient(requestId, digest, export.recipientPublicKey(),
                            service.manifestDigest(request.keyId(), request.version()), stored)
                    : new ReleaseRequest(requestId, digest, request.ephemeralPublicKey(), stored);
            Release release = token.release(toRelease);
            metrics.hsm(NodeMetrics.HsmOperation.RELEASE, System.nanoTime() - started);
            service.submit(new NodeEvent.ShareReleased(requestId, index, release.wrapped(),
                    release.statement().signature()));
            metrics.released();
        }
        List<ReleaseMessage> out = new ArrayList<>();
        for (NodeEvent.ShareReleased r : service.releases(requestId)) {
            NodeEvent.ShareHeld held = service.held(request.keyId() + "/" + request.version() + "/" + r.index())
                    .orElse(null);
            int length = held == null ? 0 : held.length();
            if (length > 0) {
                out.add(new ReleaseMessage(requestId, request.digest(), service.nodeId(), request.keyId(),
                        request.version(), r.index(), length, r.wrapped(), r.signature()));
            }
        }
        return out;
    }

    /**
     * Crypto-shreds this node's shares of the key version {@code requestId} destroys: every
     * other share is re-wrapped under a fresh epoch KEK, the new blobs made durable and the
     * rotation journaled, then the token destroys the old KEK and signs the receipt, then the
     * old blobs are deleted and the store compacted. Returns the receipt (again, if done before).
     */
    public synchronized ShredReceiptMessage shred(String requestId)
            throws NodeRefusedException, IOException, KeyEscrowException {
        Optional<NodeEvent.ShredCompleted> done = service.shred(requestId);
        if (done.isPresent()) {
            return receiptOf(done.get());
        }
        CanonicalRequest request = service.request(requestId);
        // a rolled-back version's shares never survive a rotation: finish its shred first (after a crash)
        finishRollbacks();
        return rotateAway(requestId, request.keyId() + "/" + request.version() + "/");
    }

    /**
     * Rolls back the ceremony {@code message} names: journals the rollback (which verifies the
     * coordinator's signature and refuses a version whose manifest is held here: a committed
     * version is never rolled back), from then on refuses that version's imports, and
     * crypto-shreds its shares as a DESTROY does — every other share re-wrapped under a fresh
     * epoch KEK, the old KEK destroyed — so a copy of the token or the disks taken later holds
     * nothing of it. Returns this node's rollback receipt (again, if done before): signed with the
     * identity key once the shred completed, over the rollback's key id, version and manifest
     * digest, the epoch and the destroyed shares, and journaled before it is returned.
     */
    public synchronized RollbackReceiptMessage rollBack(RollbackMessage message)
            throws NodeRefusedException, IOException, KeyEscrowException {
        String id = message.rollbackId();
        Optional<RollbackReceiptMessage> receipted = service.rollbackReceipt(id);
        if (receipted.isPresent()) {
            return receipted.get();
        }
        Optional<NodeEvent.ShredCompleted> done = service.shred(id);
        ShredReceiptMessage shred;
        if (done.isPresent()) {
            shred = receiptOf(done.get());
        } else {
            service.submit(new NodeEvent.CeremonyRolledBack(message.keyId(), message.version(),
                    message.manifestDigest(), message.coordinatorSignature()));
            shred = rotateAway(id, message.key() + "/");
        }
        List<ShareRef> destroyed = new ArrayList<>();
        for (String label : shred.destroyed()) {
            String[] parts = label.split("/");
            destroyed.add(new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 1));
        }
        byte[] signature = token.identity().sign(Statements.rollbackReceipt(service.nodeId(), message.keyId(),
                message.version(), message.manifestDigest(), shred.epoch(), destroyed));
        RollbackReceiptMessage receipt = new RollbackReceiptMessage(service.nodeId(), message.keyId(),
                message.version(), message.manifestDigest(), shred.epoch(), shred.destroyed(), signature);
        service.submit(new NodeEvent.RollbackReceipted(new String(receipt.encode(), StandardCharsets.UTF_8)));
        return receipt;
    }

    /** Completes the shred and receipt of every journaled rollback whose receipt is missing (a crash in between). */
    public synchronized List<RollbackReceiptMessage> finishRollbacks()
            throws NodeRefusedException, IOException, KeyEscrowException {
        List<RollbackReceiptMessage> receipts = new ArrayList<>();
        for (NodeEvent.CeremonyRolledBack b : service.rollbacks()) {
            receipts.add(rollBack(b.message()));
        }
        return receipts;
    }

    private ShredReceiptMessage rotateAway(String requestId, String prefix)
            throws NodeRefusedException, IOException, KeyEscrowException {
        Optional<NodeEvent.SharesRotated> earlier = service.rotation(requestId);
        List<NodeEvent.ShareHeld> destroyed = new ArrayList<>();
        List<NodeEvent.ShareHeld> survivors = new ArrayList<>();
        for (NodeEvent.ShareHeld h : service.heldShareDetails()) {
            (h.shareKey().startsWith(prefix) ? destroyed : survivors).add(h);
        }
        List<String> destroyedKeys = earlier.map(NodeEvent.SharesRotated::destroyed)
                .orElseGet(() -> destroyed.stream().map(NodeEvent.ShareHeld::shareKey).toList());
        List<ShareRef> destroyedRefs = new ArrayList<>();
        for (String key : destroyedKeys) {
            String[] parts = key.split("/");
            int length = destroyed.stream().filter(h -> h.shareKey().equals(key)).mapToInt(NodeEvent.ShareHeld::length)
                    .findFirst().orElse(1);
            destroyedRefs.add(new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), length));
        }
        List<BlobId> oldBlobs = new ArrayList<>();
        SignedStatement receipt;
        long epoch;
        long started = System.nanoTime();
        try (EpochRotation rotation = token.beginRotation()) {
            List<StoredShare> surviving = new ArrayList<>();
            for (NodeEvent.ShareHeld h : survivors) {
                surviving.add(stored(h));
                oldBlobs.add(BlobId.parse(h.blobId()));
            }
            destroyed.forEach(h -> oldBlobs.add(BlobId.parse(h.blobId())));
            Map<String, String> newBlobIds = new TreeMap<>();
            List<StoredShare> rewrapped = surviving.isEmpty() ? List.of() : rotation.rewrap(surviving);
            for (StoredShare s : rewrapped) {
                newBlobIds.put(s.ref().label(), blobs.put(s.blob().encoded()).hex());
            }
            epoch = rotation.toEpoch();
            // the marker: from here on the new epoch is the complete one
            service.submit(new NodeEvent.SharesRotated(requestId, epoch, newBlobIds,
                    earlier.isPresent() ? List.of() : destroyedKeys));
            receipt = rotation.commit(destroyedRefs);
        }
        metrics.hsm(NodeMetrics.HsmOperation.SHRED, System.nanoTime() - started);
        for (BlobId id : oldBlobs) {
            blobs.delete(id);
        }
        blobs.compact();
        NodeEvent.ShredCompleted completed = new NodeEvent.ShredCompleted(requestId, epoch, destroyedKeys,
                receipt.signature());
        service.submit(completed);
        metrics.shredded();
        return receiptOf(completed);
    }

    private ShredReceiptMessage receiptOf(NodeEvent.ShredCompleted c) {
        return new ShredReceiptMessage(c.requestId(), service.nodeId(), c.epoch(), c.destroyed(), c.signature());
    }

    StoredShare stored(NodeEvent.ShareHeld held) throws IOException, KeyEscrowException {
        byte[] blob = blobs.get(BlobId.parse(held.blobId())).orElseThrow(() -> new IOException("the blob of share "
                + held.shareKey() + " is missing from the blob store"));
        return new StoredShare(new ShareRef(held.keyId(), held.version(), held.index(), held.length()),
                ShareBlob.parse(blob));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
