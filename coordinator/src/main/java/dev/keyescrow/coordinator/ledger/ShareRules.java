package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.Statements;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shares aggregate: where each share of a version went, as its node signed it — imported
 * (import receipts), released for a request (accepted or refused), shredded (shred receipts),
 * destroyed after a rollback (rollback receipts). Every node statement is verified under the
 * node's pinned identity key, and every share it names is one the manifest places on that node.
 */
final class ShareRules {
    private final NodeRegistry nodes;
    private final KeyVersionRules versions;
    private final RequestRules requests;
    /**
     * The epochs of every shred and rollback receipt journaled, by node: each receipt names the
     * epoch rotation that made it, so a rollback receipt with an epoch the node used already is
     * refused (a second guard since rollback receipts name their rollback; old-form receipts did
     * not). Derived from those receipts.
     */
    private final Map<String, Set<Long>> receiptEpochs = new HashMap<>();

    ShareRules(NodeRegistry nodes, KeyVersionRules versions, RequestRules requests) {
        this.nodes = nodes;
        this.versions = versions;
        this.requests = requests;
    }

    boolean validate(CoordinatorEvent event) throws RefusedException {
        if (event instanceof CoordinatorEvent.ReceiptVerified r) {
            VersionEntry entry = versions.ceremony(r.keyId(), r.version());
            Holder holder = holder(entry.manifest, r.index());
            if (!holder.nodeId().equals(r.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "share " + r.index() + " of " + r.keyId() + " v"
                        + r.version() + " is assigned to node " + holder.nodeId() + ", not " + r.nodeId());
            }
            ShareRef ref = new ShareRef(r.keyId(), r.version(), r.index(), r.length());
            verifyNode(r.nodeId(), NodeStatements.importReceipt(r.nodeId(), ref, r.envelopeDigest(),
                    r.storedBlobDigest()), r.signature(), "import receipt of share " + r.index());
            return !entry.receipts.containsKey(r.index());
        } else if (event instanceof CoordinatorEvent.ReleaseAccepted r) {
            RequestEntry entry = requests.request(r.requestId());
            Holder holder = holder(requests.manifestOf(entry.request), r.index());
            if (!holder.nodeId().equals(r.nodeId())) {
                throw new RefusedException(RefusalReason.INVALID, "share " + r.index() + " is held by "
                        + holder.nodeId() + ", not " + r.nodeId());
            }
            return !entry.releases.containsKey(r.index());
        } else if (event instanceof CoordinatorEvent.ReleaseRefused r) {
            RequestEntry entry = requests.request(r.requestId());
            return entry.badReleases.stream().noneMatch(b -> b.index() == r.index() && b.nodeId().equals(r.nodeId())
                    && b.problem().equals(r.problem()));
        } else if (event instanceof CoordinatorEvent.RollbackReceiptVerified r) {
            return validateRollbackReceipt(r);
        } else if (event instanceof CoordinatorEvent.ShredVerified s) {
            return validateShred(s);
        }
        throw new IllegalArgumentException("not a share event: " + event.type());
    }

    private boolean validateShred(CoordinatorEvent.ShredVerified s) throws RefusedException {
        RequestEntry entry = requests.request(s.requestId());
        if (!entry.request.operation().shreds()) {
            throw new RefusedException(RefusalReason.INVALID, "request " + s.requestId() + " is a "
                    + entry.request.operation() + ", which shreds nothing");
        }
        Manifest manifest = requests.manifestOf(entry.request);
        List<ShareRef> refs = new ArrayList<>();
        for (String label : s.destroyed()) {
            refs.add(shreddableShare(label, entry.request, manifest, s.nodeId()));
        }
        if (refs.stream().map(ShareRef::index).distinct().count() != refs.size()) {
            throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + s.nodeId()
                    + " names a share twice");
        }
        verifyNode(s.nodeId(), Statements.shredReceipt(s.nodeId(), s.epoch(), refs), s.signature(),
                "shred receipt");
        return !entry.shreddedNodes.contains(s.nodeId());
    }

    /**
     * A node's receipt for a rollback: the version's ceremony was rolled back, the receipt names
     * that ceremony's manifest digest, the node holds a share in its manifest, every destroyed
     * share is one the manifest places on that node, a share whose import the node had receipted
     * is among them, the epoch is one no other receipt of that node used, and the node's rollback
     * receipt statement, which names the rollback, verifies under the node's pinned key. The old
     * form (a shred statement, which names no rollback, so any receipt of the node that destroyed
     * nothing of the version passed) is replayed from old journals but never accepted.
     */
    private boolean validateRollbackReceipt(CoordinatorEvent.RollbackReceiptVerified r) throws RefusedException {
        if (r.legacy()) {
            throw new RefusedException(RefusalReason.INVALID, "a rollback receipt must name its rollback: a shred"
                    + " receipt is not one");
        }
        RolledBackCeremony rolled = versions.rolledBack(r.keyId(), r.version());
        if (rolled == null) {
            throw new RefusedException(RefusalReason.WRONG_STATE, "no ceremony of " + r.keyId() + " v" + r.version()
                    + " was rolled back");
        }
        if (!rolled.manifest.digest().equals(r.manifestDigest())) {
            throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                    + " names another ceremony of " + r.keyId() + " v" + r.version());
        }
        if (!rolled.holderNodes().contains(r.nodeId())) {
            throw new RefusedException(RefusalReason.INVALID, "node " + r.nodeId() + " holds no share of "
                    + r.keyId() + " v" + r.version());
        }
        List<ShareRef> refs = new ArrayList<>();
        Set<Integer> indices = new TreeSet<>();
        for (String label : r.destroyed()) {
            ShareRef ref = parseShareLabel(label);
            if (!ref.keyId().equals(r.keyId()) || ref.version() != r.version()
                    || !holder(rolled.manifest, ref.index()).nodeId().equals(r.nodeId()) || !indices.add(ref.index())) {
                throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                        + " names share " + label + ", not one of its shares of " + r.keyId() + " v" + r.version());
            }
            refs.add(ref);
        }
        for (Holder h : rolled.manifest.holders()) {
            if (h.nodeId().equals(r.nodeId()) && rolled.imported.contains(h.index()) && !indices.contains(h.index())) {
                throw new RefusedException(RefusalReason.INVALID, "rollback receipt of node " + r.nodeId()
                        + " leaves out share " + h.index() + ", whose import it receipted");
            }
        }
        verifyNode(r.nodeId(), Statements.rollbackReceipt(r.nodeId(), r.keyId(), r.version(), r.manifestDigest(),
                r.epoch(), refs), r.signature(), "rollback receipt");
        if (rolled.receipts.containsKey(r.nodeId())) {
            return false;
        }
        requireFreshEpoch(r.nodeId(), r.epoch());
        return true;
    }

    private void requireFreshEpoch(String nodeId, long epoch) throws RefusedException {
        if (receiptEpochs.getOrDefault(nodeId, Set.of()).contains(epoch)) {
            throw new RefusedException(RefusalReason.INVALID, "node " + nodeId + " already receipted a shred with"
                    + " epoch " + epoch + ": a receipt is not reused");
        }
    }

    void apply(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.ReceiptVerified r) {
            versions.ceremonyEntry(r.keyId(), r.version()).receipts.putIfAbsent(r.index(), r);
        } else if (event instanceof CoordinatorEvent.ReleaseAccepted r) {
            requests.existing(r.requestId()).releases.putIfAbsent(r.index(), r.nodeId());
        } else if (event instanceof CoordinatorEvent.ReleaseRefused r) {
            requests.existing(r.requestId()).badReleases.add(new BadRelease(r.index(), r.nodeId(), r.problem()));
        } else if (event instanceof CoordinatorEvent.RollbackReceiptVerified r) {
            versions.rolledBack(r.keyId(), r.version()).receipts.putIfAbsent(r.nodeId(), r);
            receiptEpochs.computeIfAbsent(r.nodeId(), n -> new HashSet<>()).add(r.epoch());
        } else if (event instanceof CoordinatorEvent.ShredVerified s) {
            RequestEntry entry = requests.existing(s.requestId());
            receiptEpochs.computeIfAbsent(s.nodeId(), n -> new HashSet<>()).add(s.epoch());
            entry.shreddedNodes.add(s.nodeId());
            entry.shreds.add(s);
            VersionEntry version = versions.existing(entry.request.keyId(), entry.request.version());
            // validate checked that every label is a share of this version held by that node
            for (String label : s.destroyed()) {
                version.shredded.add(Integer.parseInt(label.substring(label.lastIndexOf('/') + 1)));
            }
        } else {
            throw new IllegalArgumentException("not a share event: " + event.type());
        }
    }

    private static Holder holder(Manifest manifest, int index) throws RefusedException {
        if (index < 1 || index > manifest.shareCount()) {
            throw new RefusedException(RefusalReason.INVALID, "share index " + index + " is not in [1, "
                    + manifest.shareCount() + "] for " + manifest.keyId() + " v" + manifest.version());
        }
        return manifest.holders().get(index - 1);
    }

    private void verifyNode(String nodeId, byte[] statement, byte[] signature, String what) throws RefusedException {
        EnrolledNode node = nodes.find(nodeId).orElseThrow(() -> new RefusedException(RefusalReason.INVALID,
                "node " + nodeId + " is not enrolled"));
        try {
            EcdsaP256.verify(node.identityPublicKey(), statement, signature);
        } catch (SignatureException e) {
            throw new RefusedException(RefusalReason.BAD_SIGNATURE, what + " from node " + nodeId
                    + " does not verify under its pinned identity key: " + e.getMessage());
        }
    }

    /**
     * A destroyed share named by a shred receipt, checked against everything {@code apply}
     * assumes: a share of the request's own key version, inside its manifest, held by the
     * node that signed. A receipt that names anything else is a lie, refused before the journal.
     */
    private static ShareRef shreddableShare(String label, CanonicalRequest request, Manifest manifest, String nodeId)
            throws RefusedException {
        ShareRef ref = parseShareLabel(label);
        if (!ref.keyId().equals(request.keyId()) || ref.version() != request.version()) {
            throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + nodeId + " names share "
                    + label + ", not a share of " + request.keyId() + " v" + request.version());
        }
        if (!holder(manifest, ref.index()).nodeId().equals(nodeId)) {
            throw new RefusedException(RefusalReason.INVALID, "shred receipt of node " + nodeId + " names share "
                    + label + ", which the manifest does not place on that node");
        }
        return ref;
    }

    /**
     * {@code keyId/version/index} as a share reference. The shred statement carries no length,
     * so the reference's length is a placeholder that the statement never reads.
     */
    private static ShareRef parseShareLabel(String label) throws RefusedException {
        String[] parts = label.split("/", -1);
        try {
            if (parts.length != 3) {
                throw new IllegalArgumentException("not keyId/version/index");
            }
            return new ShareRef(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), 1);
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.MALFORMED, "destroyed share \"" + label + "\" is not "
                    + "keyId/version/index");
        }
    }
}
