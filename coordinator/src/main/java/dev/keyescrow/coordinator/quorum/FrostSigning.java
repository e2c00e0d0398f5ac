package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.CommitmentList;
import dev.keyescrow.core.frost.FrostAggregator;
import dev.keyescrow.core.frost.GroupElement;
import dev.keyescrow.core.frost.InvalidSignatureShareException;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.SignatureShare;
import dev.keyescrow.core.frost.SigningCommitment;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Signer;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.FrostStatements;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The coordinator's part in SIGN (FROST keys): gathers the holders' signed commitments,
 * calls round two over exactly t of them, checks every signature share against the signer's
 * pinned verification share and aggregates. It never holds a share, a nonce or the key: what
 * it receives is public (commitments and signature shares), and no combination of it gives
 * a share back ({@code docs/threat-model.md}, A2).
 *
 * <p>A share that fails its verification share names its node, which is left out of every
 * later attempt; an attempt whose signers do not all answer within {@link #ROUND_TIMEOUT}
 * (a node restarted and lost its nonces, or went away) is given up. Either way the next
 * attempt starts with fresh nonces from every holder, if at least t holders remain.
 * Not thread-safe: the workflow calls it under its own lock.
 */
final class FrostSigning {
    static final Duration ROUND_TIMEOUT = Duration.ofSeconds(30);

    private final NodeRegistry nodes;
    private final Signer identity;
    private final Consumer<FrostCallMessage> publish;
    private final Map<String, Session> sessions = new HashMap<>();

    /** What one step of a request's signing came to. */
    record Step(List<byte[]> signatures, String failure, List<Named> named) {
        static Step waiting(List<Named> named) {
            return new Step(null, null, named);
        }
    }

    /** A node whose signature share failed its verification share, or that was refused. */
    record Named(int index, String nodeId, String problem) {
    }

    private static final class Session {
        int attempt = 1;
        final Set<Integer> excluded = new HashSet<>();
        final Map<Integer, Map<Integer, FrostCommitmentMessage>> commitments = new HashMap<>();
        FrostCallMessage call;
        Instant calledAt;
        final Map<Integer, FrostShareMessage> shares = new TreeMap<>();
    }

    FrostSigning(NodeRegistry nodes, Signer identity, Consumer<FrostCallMessage> publish) {
        this.nodes = nodes;
        this.identity = identity;
        this.publish = publish;
    }

    /** A node's commitment: kept if its node signature verifies and the node holds that share. */
    void onCommitment(FrostCommitmentMessage c, CanonicalRequest request, Manifest manifest) throws BadInput {
        if (!c.requestDigest().equals(request.digest())) {
            throw new BadInput("commitment of " + c.nodeId() + " is for another request digest");
        }
        verifyNode(c.nodeId(), c.index(), manifest, c.statement(), c.signature());
        if (c.commitments().size() != ((RequestParams.Sign) request.params()).count()) {
            throw new BadInput("commitment of " + c.nodeId() + " does not have one entry per message");
        }
        Session s = sessions.computeIfAbsent(request.requestId(), k -> new Session());
        if (c.attempt() >= s.attempt) {
            s.commitments.computeIfAbsent(c.attempt(), k -> new TreeMap<>()).putIfAbsent(c.index(), c);
        }
    }

    /** A node's signature shares: kept if signed by the node and part of the current call. */
    void onShare(FrostShareMessage m, CanonicalRequest request, Manifest manifest) throws BadInput {
        Session s = sessions.get(request.requestId());
        if (s == null || s.call == null || m.attempt() != s.attempt || !m.requestDigest().equals(request.digest())) {
            return; // an old attempt's, or one not called yet: nothing to do with it
        }
        verifyNode(m.nodeId(), m.index(), manifest, m.statement(), m.signature());
        if (s.call.signers().stream().noneMatch(c -> c.index() == m.index())) {
            throw new BadInput("share " + m.index() + " was not called to sign attempt " + m.attempt());
        }
        for (int j = 0; j < m.listDigests().size(); j++) {
            if (j >= ((RequestParams.Sign) request.params()).count()
                    || !Arrays.equals(m.listDigests().get(j), FrostStatements.sha256(listFor(s.call, j).encode()))) {
                // e.g. signed for a call of this attempt made before a coordinator restart: not a lie, but
                // not usable either; the attempt times out and the next one has fresh nonces
                throw new BadInput("share " + m.index() + " of " + m.nodeId() + " answers another commitment list"
                        + " than attempt " + m.attempt() + "'s call");
            }
        }
        s.shares.putIfAbsent(m.index(), m);
    }

    /** Moves an APPROVED SIGN request on: calls round two, aggregates, or starts another attempt. */
    Step step(CanonicalRequest request, Manifest manifest, Instant now) throws KeyEscrowException {
        Session s = sessions.computeIfAbsent(request.requestId(), k -> new Session());
        RequestParams.Sign params = (RequestParams.Sign) request.params();
        int t = manifest.threshold();
        List<Named> named = new ArrayList<>();
        if (s.call == null) {
            List<FrostCommitmentMessage> ready = new ArrayList<>();
            s.commitments.getOrDefault(s.attempt, Map.of()).forEach((index, c) -> {
                if (!s.excluded.contains(index) && ready.size() < t) {
                    ready.add(c);
                }
            });
            if (ready.size() < t) {
                return Step.waiting(named);
            }
            FrostCallMessage unsigned = new FrostCallMessage(request.requestId(), request.digest(), s.attempt, ready,
                    new byte[0]);
            s.call = new FrostCallMessage(request.requestId(), request.digest(), s.attempt, ready,
                    CoordinatorStatement.sign(identity, CoordinatorStatement.Kind.FROST_ROUND, unsigned.bodyDigest()));
            s.calledAt = now;
            publish.accept(s.call);
            return Step.waiting(named);
        }
        if (s.shares.size() < t) {
            if (now.isAfter(s.calledAt.plus(ROUND_TIMEOUT))) {
                return nextAttempt(request, manifest, s, named, "attempt " + s.attempt + ": not every signer answered"
                        + " within " + ROUND_TIMEOUT.toSeconds() + " s");
            }
            return Step.waiting(named);
        }
        FrostAggregator aggregator = new FrostAggregator(manifest.frost().toPackage(t));
        List<byte[]> signatures = new ArrayList<>();
        for (int j = 0; j < params.count(); j++) {
            CommitmentList list = listFor(s.call, j);
            List<SignatureShare> shares = new ArrayList<>();
            for (FrostShareMessage m : s.shares.values()) {
                shares.add(new SignatureShare(ParticipantId.of(m.index()), m.shares().get(j)));
            }
            try {
                signatures.add(aggregator.aggregate(list, params.message(j), shares));
            } catch (InvalidSignatureShareException e) {
                int index = e.culprit().value();
                String node = s.shares.get(index).nodeId();
                named.add(new Named(index, node, "signature share of share " + index + " (node " + node
                        + ") for message " + (j + 1) + " fails its verification share"));
                s.excluded.add(index);
                return nextAttempt(request, manifest, s, named, "attempt " + s.attempt + ": node " + node
                        + " sent a signature share that fails its verification share");
            }
        }
        sessions.remove(request.requestId());
        return new Step(signatures, null, named);
    }

    private Step nextAttempt(CanonicalRequest request, Manifest manifest, Session s, List<Named> named,
            String why) throws KeyEscrowException {
        int left = manifest.holders().size() - s.excluded.size();
        if (left < manifest.threshold() || s.attempt >= FrostStatements.MAX_ATTEMPTS) {
            sessions.remove(request.requestId());
            return new Step(null, why + "; " + left + " holders left for a threshold of " + manifest.threshold()
                    + (s.attempt >= FrostStatements.MAX_ATTEMPTS ? " after " + s.attempt + " attempts" : ""), named);
        }
        s.commitments.remove(s.attempt);
        s.attempt++;
        s.call = null;
        s.shares.clear();
        FrostCallMessage unsigned = new FrostCallMessage(request.requestId(), request.digest(), s.attempt, List.of(),
                new byte[0]);
        publish.accept(new FrostCallMessage(request.requestId(), request.digest(), s.attempt, List.of(),
                CoordinatorStatement.sign(identity, CoordinatorStatement.Kind.FROST_ROUND, unsigned.bodyDigest())));
        return Step.waiting(named);
    }

    /** Forgets a request that ended. */
    void forget(String requestId) {
        sessions.remove(requestId);
    }

    static CommitmentList listFor(FrostCallMessage call, int j) {
        List<SigningCommitment> list = new ArrayList<>();
        for (FrostCommitmentMessage c : call.signers()) {
            byte[] both = c.commitments().get(j);
            list.add(new SigningCommitment(ParticipantId.of(c.index()),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 0, 32)),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 32, 64))));
        }
        return new CommitmentList(list);
    }

    private void verifyNode(String nodeId, int index, Manifest manifest, byte[] statement, byte[] signature)
            throws BadInput {
        Holder holder = manifest.holders().stream().filter(h -> h.index() == index).findFirst()
                .orElseThrow(() -> new BadInput("share " + index + " is no holder of " + manifest.keyId()));
        if (!holder.nodeId().equals(nodeId)) {
            throw new BadInput("share " + index + " is held by " + holder.nodeId() + ", not " + nodeId);
        }
        EnrolledNode node = nodes.find(nodeId).orElseThrow(() -> new BadInput("node " + nodeId + " is not enrolled"));
        try {
            EcdsaP256.verify(node.identityPublicKey(), statement, signature);
        } catch (SignatureException e) {
            throw new BadInput("a message claiming node " + nodeId + " is not signed by its pinned identity key");
        }
    }

    /** A cluster message that is refused (not signed by the pinned node, or not a holder's). */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }
}
