package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.ledger.RequestView;
import dev.keyescrow.core.error.KeyEscrowException;
import java.io.IOException;

/**
 * How one operation moves an APPROVED request on, as far as what is known allows; called
 * again on every answer, release, receipt and sweep, so a step that is not ready returns.
 * Called under the workflow's monitor.
 */
interface OperationHandler {
    void advance(RequestView approved) throws IOException, KeyEscrowException;
}
