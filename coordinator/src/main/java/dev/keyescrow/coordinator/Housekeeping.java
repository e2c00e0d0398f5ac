package dev.keyescrow.coordinator;

import dev.keyescrow.coordinator.cluster.CoordinatorClusterBridge;
import dev.keyescrow.coordinator.ledger.CoordinatorService;
import dev.keyescrow.coordinator.quorum.MessageRetention;
import dev.keyescrow.coordinator.quorum.RequestWorkflow;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.server.Unexpected;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The coordinator's periodic upkeep on its background thread: expiring what is due, and
 * deleting the cluster messages and sealed keys no one needs any more. Failures are reported,
 * never thrown into the timer.
 */
final class Housekeeping {
    private final CoordinatorService service;
    private final CoordinatorClusterBridge cluster;
    private final RequestWorkflow workflow;
    private final ExecutorService background;
    private final Consumer<String> problems;

    Housekeeping(CoordinatorService service, CoordinatorClusterBridge cluster, RequestWorkflow workflow,
            ExecutorService background, Consumer<String> problems) {
        this.service = service;
        this.cluster = cluster;
        this.workflow = workflow;
        this.background = background;
        this.problems = problems;
    }

    /**
     * Deletes the cluster messages of requests that have been over for {@code grace} and that
     * no member needs any more ({@code quorum.MessageRetention}).
     *
     * @return how many map entries were deleted
     */
    int pruneClusterMessages(Duration grace) {
        Instant now = service.now();
        return cluster.prune(requestId -> service.request(requestId).map(view -> {
            Set<String> holders = service.version(view.request().keyId(), view.request().version())
                    .map(v -> v.manifest().holders().stream().map(Holder::nodeId).collect(Collectors.toSet()))
                    .orElse(Set.of());
            return MessageRetention.mayForget(view, holders, now, grace);
        }).orElse(false));
    }

    /** {@link #pruneClusterMessages} on the background thread, for a periodic timer; failures are reported. */
    void pruneInBackground(Duration grace) {
        try {
            background.execute(() -> {
                try {
                    pruneClusterMessages(grace);
                    workflow.compactSealedKeys();
                } catch (IOException | RuntimeException e) {
                    problems.accept(Unexpected.note("pruning the cluster messages or the sealed keys failed", e));
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Expires what is due ({@code RequestWorkflow.sweep()}) on the background thread, for a periodic timer. */
    void sweepInBackground() {
        try {
            background.execute(() -> {
                try {
                    workflow.sweep();
                } catch (IOException | KeyEscrowException | RuntimeException e) {
                    problems.accept("sweep failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }
}
