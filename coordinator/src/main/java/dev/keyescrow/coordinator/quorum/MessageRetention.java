package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.coordinator.ledger.Transition;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * When the cluster messages of a request may be deleted from the maps. The maps are
 * transport: the coordinator and every node journal what they accept, and a node that was
 * down catches up from the maps. So the messages stay as long as some member may still need
 * them:
 *
 * <ul>
 *   <li>the request is over (a terminal state), and has been for {@code grace}, so that
 *       slow members and late duplicates have settled;</li>
 *   <li>for a DESTROY, REFRESH or RESHARE that was carried out (EXECUTED), every node that
 *       holds a share of the version has sent its shred receipt: a node that was down shreds
 *       when it returns, and it needs the request and its answers in the maps to do so.</li>
 * </ul>
 */
public final class MessageRetention {
    private MessageRetention() {
    }

    /**
     * @param holderNodes the nodes that hold shares of the request's key version
     */
    public static boolean mayForget(RequestView view, Set<String> holderNodes, Instant now, Duration grace) {
        if (!view.state().isTerminal()) {
            return false;
        }
        List<Transition> history = view.history();
        Instant over = history.get(history.size() - 1).at();
        if (view.state() == RequestState.EXPIRED && view.request().expiresAt().isAfter(over)) {
            over = view.request().expiresAt(); // expiry is read from the clock, not recorded as a transition
        }
        if (now.isBefore(over.plus(grace))) {
            return false;
        }
        Operation operation = view.request().operation();
        return !(operation.shreds() && view.state() == RequestState.EXECUTED)
                || view.shreddedNodes().containsAll(holderNodes);
    }
}
