package dev.keyescrow.coordinator.ceremony;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.DkgRound1Package;
import dev.keyescrow.core.frost.DkgTranscript;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.PublicKeyPackage;
import dev.keyescrow.core.frost.VssCommitment;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgHolder;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgResultMessage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * What the coordinator gathers of one DKG: every participant's round-one package (signed by
 * its node, proof of knowledge checked here: public values only) and result. Completes when
 * all n results are in and agree with the public commitments; fails naming a node when a
 * package's proof fails, a node equivocates, a result disagrees with the commitments, or a
 * holder's node complains. Never sees a secret: round-two shares go from node to node.
 */
final class DkgCollector {
    /** Why a DKG was aborted, naming the node held responsible. */
    static final class Aborted extends Exception {
        Aborted(String message) {
            super(message);
        }
    }

    private final DkgCallMessage call;
    private final byte[] context;
    private final Map<Integer, DkgRound1Package> packages = new TreeMap<>();
    private final Map<Integer, DkgResultMessage> results = new TreeMap<>();
    private final CompletableFuture<FrostPublicKeys> completion = new CompletableFuture<>();

    DkgCollector(DkgCallMessage call) {
        this.call = call;
        this.context = call.context().toBytes();
    }

    /** The pinned keys (group key, verification shares, transcript), or {@link Aborted}. */
    CompletableFuture<FrostPublicKeys> completion() {
        return completion;
    }

    /** The results by index, once complete. */
    synchronized Map<Integer, DkgResultMessage> results() {
        return Map.copyOf(results);
    }

    /** Indices whose result is still missing. */
    synchronized List<String> missing() {
        return call.holders().stream().filter(h -> !results.containsKey(h.index()))
                .map(h -> h.nodeId() + " (participant " + h.index() + ")").toList();
    }

    /** @throws SignatureException not signed by the participant's node: ignored (a rogue member) */
    synchronized void onPackage(DkgPackageMessage message) throws SignatureException {
        DkgHolder holder = call.holder(message.index());
        message.verify(holder);
        DkgRound1Package pkg;
        try {
            pkg = DkgRound1Package.decode(message.pkg());
        } catch (IllegalArgumentException e) {
            abort(holder, "published a malformed round-one package");
            return;
        }
        ParticipantId id = ParticipantId.of(message.index());
        if (!pkg.sender().equals(id) || pkg.commitment().threshold() != call.threshold()) {
            abort(holder, "published a round-one package for another participant or threshold");
        } else if (!pkg.proof().verifies(id, context, pkg.commitment().constantTerm())) {
            abort(holder, "published a proof of knowledge that does not verify");
        } else if (packages.containsKey(message.index())
                && !Arrays.equals(packages.get(message.index()).encode(), pkg.encode())) {
            abort(holder, "published two different round-one packages");
        } else {
            packages.put(message.index(), pkg);
            tryComplete();
        }
    }

    synchronized void onResult(DkgResultMessage message) throws SignatureException {
        message.verify(call.holder(message.index()));
        results.putIfAbsent(message.index(), message);
        tryComplete();
    }

    synchronized void onComplaint(DkgComplaintMessage message) throws SignatureException {
        DkgHolder complainer = call.holder(message.index());
        message.verify(complainer);
        DkgHolder accused = call.holder(message.accused());
        completion.completeExceptionally(new Aborted(accused.nodeId() + " (participant " + accused.index()
                + ") was named by " + complainer.nodeId() + " (participant " + complainer.index() + "): "
                + message.reason()));
    }

    private void abort(DkgHolder holder, String what) {
        completion.completeExceptionally(new Aborted(holder.nodeId() + " (participant " + holder.index() + ") "
                + what));
    }

    /** With every package and result: the verification shares and transcript each node reports must be ours. */
    private void tryComplete() {
        int n = call.holders().size();
        if (completion.isDone() || packages.size() < n || results.size() < n) {
            return;
        }
        VssCommitment group = VssCommitment.sum(packages.values().stream().map(DkgRound1Package::commitment)
                .toList());
        PublicKeyPackage keys = PublicKeyPackage.fromCommitment(group, n);
        byte[] transcript = DkgTranscript.digest(context, packages.values());
        for (DkgResultMessage r : results.values()) {
            DkgHolder holder = call.holder(r.index());
            if (!Arrays.equals(r.verificationShare(), keys.verificationShareOf(ParticipantId.of(r.index())).toBytes())) {
                abort(holder, "reported a verification share that the public commitments do not give");
                return;
            }
            if (!Arrays.equals(r.transcriptDigest(), transcript)) {
                abort(holder, "reported another transcript digest");
                return;
            }
        }
        completion.complete(FrostPublicKeys.of(keys).withDkgTranscript(transcript));
    }
}
