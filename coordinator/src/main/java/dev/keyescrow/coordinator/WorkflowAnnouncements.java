package dev.keyescrow.coordinator;

import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.coordinator.quorum.RequestWorkflow;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.wire.CancelMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.server.Unexpected;
import java.util.function.Consumer;

/**
 * What the request workflow tells the nodes through the cluster: a cancellation signed by the
 * coordinator, FROST signing calls, and the requests still open at a restart, published again.
 * A message that could not be published is reported, never thrown into the workflow.
 */
final class WorkflowAnnouncements {
    private WorkflowAnnouncements() {
    }

    static void install(RequestWorkflow workflow, CoordinatorClusterBridge cluster, NodeRegistry nodes, Token token,
            Consumer<String> problems) {
        workflow.onCancelled(request -> {
            try {
                CancelMessage unsigned = new CancelMessage(request.requestId(), request.digest(), new byte[64]);
                byte[] signature = CoordinatorStatement.sign(token.identity(), CoordinatorStatement.Kind.CANCEL,
                        unsigned.digest());
                cluster.publishCancel(request.requestId(),
                        new CancelMessage(request.requestId(), request.digest(), signature).encode());
            } catch (KeyEscrowException | RuntimeException e) {
                problems.accept(Unexpected.note("the cancellation of " + request.requestId()
                        + " could not be published", e));
            }
        });
        workflow.enableSigning(nodes, token.identity(), call -> cluster.publishFrostCall(call.key(), call.encode()));
        workflow.onOpenAtRestart(view -> {
            try {
                cluster.publishRequest(view.requestId(), new SignedRequestMessage(
                        view.canonical(), view.coordinatorSignature()).encode());
            } catch (RuntimeException e) {
                problems.accept("request " + view.requestId() + " could not be published again: "
                        + e.getClass().getSimpleName());
            }
        });
    }
}
