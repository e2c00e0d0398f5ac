package dev.keyescrow.node.approval;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * When this node owes a shred: for a DESTROY its own count approved, or for an approved
 * REFRESH or RESHARE once the successor the quorum chose is pinned; shares are shredded only
 * after a bound successor exists.
 */
final class ShredRules {
    private final NodeRequestRules requests;
    private final NodeKeyVersionRules keyVersions;
    private final NodeShareRules shares;
    /** DESTROY, REFRESH and RESHARE requests not yet shredded, cancelled or denied ({@link #dueShreds} prunes it). */
    private final Set<String> shredding = new LinkedHashSet<>();

    ShredRules(NodeRequestRules requests, NodeKeyVersionRules keyVersions, NodeShareRules shares) {
        this.requests = requests;
        this.keyVersions = keyVersions;
        this.shares = shares;
    }

    /** Takes note of a newly admitted request that may come to owe a shred. */
    void admitted(CanonicalRequest request) {
        if (request.operation().shreds()) {
            shredding.add(request.requestId());
        }
    }

    /**
     * Requests whose shred this node still owes: DESTROY requests its own count approved, for a
     * key version of which it holds shares (or rotated them away without a receipt yet).
     */
    List<String> dueShreds() {
        List<String> due = new ArrayList<>();
        for (Iterator<String> it = shredding.iterator(); it.hasNext(); ) {
            NodeRequestEntry entry = requests.admitted(it.next());
            CanonicalRequest r = entry.request;
            QuorumTally.Verdict verdict = entry.tally.verdict();
            if (entry.cancelled || shares.shredded(r.requestId()) || verdict == QuorumTally.Verdict.DENIED) {
                it.remove(); // settled for good: shredded, cancelled or denied
                continue;
            }
            if (verdict != QuorumTally.Verdict.APPROVED) {
                continue;
            }
            boolean shreds = switch (r.operation()) {
                case DESTROY -> true;
                case REFRESH, RESHARE -> successorPinned(r);
                default -> false;
            };
            boolean holds = shares.holdsAnyOf(r.keyId(), r.version());
            if (shreds && (holds || shares.rotated(r.requestId()))) {
                due.add(r.requestId());
            }
        }
        return due;
    }

    /**
     * Whether the key version that an approved REFRESH or RESHARE replaces has the successor
     * the quorum approved: a later version of the same key (same algorithm and KCV),
     * countersigned by every holder it names, with exactly the holders — custodian id, public
     * key and node — and threshold the request fixes: the old ones for REFRESH, those named in
     * the request for RESHARE. Only then may this node shred the old shares: the key lives on
     * with the holders the quorum chose, not with whoever the coordinator picked.
     */
    private boolean successorPinned(CanonicalRequest r) {
        Manifest old = keyVersions.find(r.keyId(), r.version());
        if (old == null) {
            return false;
        }
        Set<ReshareHolder> approvedHolders;
        int approvedThreshold;
        if (r.params() instanceof RequestParams.Reshare reshare) {
            approvedHolders = Set.copyOf(reshare.holders());
            approvedThreshold = reshare.threshold();
        } else {
            approvedHolders = holdersOf(old);
            approvedThreshold = old.threshold();
        }
        return keyVersions.anyPinned(m -> m.keyId().equals(r.keyId()) && m.version() > r.version()
                && m.kcv().equals(old.kcv()) && m.algorithm() == old.algorithm()
                && m.threshold() == approvedThreshold && holdersOf(m).equals(approvedHolders));
    }

    private static Set<ReshareHolder> holdersOf(Manifest manifest) {
        Set<ReshareHolder> holders = new HashSet<>();
        for (Holder h : manifest.holders()) {
            holders.add(new ReshareHolder(h.custodianId(), h.publicKey(), h.nodeId()));
        }
        return holders;
    }
}
