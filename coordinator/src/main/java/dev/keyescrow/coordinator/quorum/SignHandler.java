package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.CoordinatorEvent;
import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * SIGN (FROST keys): the two rounds of RFC 9591 through {@link FrostSigning} — the nodes'
 * commitments, the round-two call over t of them, their signature shares — then the
 * signatures journaled and the request EXECUTED. No share ever leaves its node. Does nothing
 * until signing is enabled.
 */
final class SignHandler implements OperationHandler {
    private final RequestLifecycle lifecycle;
    /** Round calls and aggregation; null until {@link #enable}. */
    private FrostSigning frost;
    /** APPROVED SIGN requests: the sweep moves them on, so a round nobody answers times out. */
    private final Set<String> signing = new HashSet<>();

    SignHandler(RequestLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        lifecycle.whenOver(requestId -> {
            signing.remove(requestId);
            if (frost != null) {
                frost.forget(requestId);
            }
        });
    }

    void enable(FrostSigning frost) {
        this.frost = frost;
    }

    /** A node's commitment; whether it was for an open SIGN request (which may move on now). */
    boolean onCommitment(FrostCommitmentMessage c) throws FrostSigning.BadInput {
        Optional<RequestView> view = openSign(c.requestId());
        if (view.isEmpty()) {
            return false;
        }
        frost.onCommitment(c, view.get().request(), lifecycle.manifestOf(view.get().request()));
        return true;
    }

    /** A node's signature shares; whether they were for an open SIGN request (which may move on now). */
    boolean onShare(FrostShareMessage m) throws FrostSigning.BadInput {
        Optional<RequestView> view = openSign(m.requestId());
        if (view.isEmpty()) {
            return false;
        }
        frost.onShare(m, view.get().request(), lifecycle.manifestOf(view.get().request()));
        return true;
    }

    private Optional<RequestView> openSign(String requestId) {
        Optional<RequestView> view = lifecycle.service().request(requestId);
        if (frost == null || view.isEmpty() || view.get().state().isTerminal()
                || view.get().request().operation() != Operation.SIGN) {
            return Optional.empty();
        }
        return view;
    }

    /** The SIGN requests whose rounds are running, for the sweep. */
    List<String> inProgress() {
        return new ArrayList<>(signing);
    }

    /** One step of the rounds; with every signature made, journals them and EXECUTED. */
    @Override
    public void advance(RequestView view) throws IOException, KeyEscrowException {
        if (frost == null) {
            return;
        }
        String requestId = view.requestId();
        signing.add(requestId);
        FrostSigning.Step step = frost.step(view.request(), lifecycle.manifestOf(view.request()),
                lifecycle.service().now());
        for (FrostSigning.Named n : step.named()) {
            lifecycle.problem("SIGN " + requestId + ": " + n.problem());
            lifecycle.service().submit(new CoordinatorEvent.ReleaseRefused(requestId, n.index(), n.nodeId(),
                    n.problem()));
        }
        if (step.failure() != null) {
            lifecycle.finish(requestId, RequestState.FAILED, "SIGN failed: " + step.failure());
        } else if (step.signatures() != null) {
            lifecycle.service().submit(new CoordinatorEvent.SignaturesMade(requestId, step.signatures()));
            lifecycle.finish(requestId, RequestState.EXECUTED, step.signatures().size() + " signature"
                    + (step.signatures().size() == 1 ? "" : "s") + " made by the quorum; no share left its node");
        }
    }
}
