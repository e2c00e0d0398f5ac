package dev.keyescrow.coordinator.ledger;

import java.util.Set;

/**
 * Which parts of the ledger an event's validation reads and its application writes, so that
 * {@link CoordinatorService#submitAll} can validate a batch's events together: events with
 * disjoint footprints validate the same against the ledger before or after each other, so
 * they can share one journal append. An event with no footprint here ({@link #EVERYTHING})
 * is ordered against every other: the batch is cut before it and after it.
 *
 * <p>Only the events that arrive in bursts on the cluster worker are narrowed, each by what
 * {@link CoordinatorLedger#validate} reads for it:
 * <ul>
 *   <li>a release accepted: that the request exists (created by a request-created event, which
 *       is {@link #EVERYTHING}) and whether that share index was accepted already;</li>
 *   <li>a release refused: that the request exists and its list of refused releases.</li>
 * </ul>
 */
final class EventFootprint {
    /** The footprint of every event not narrowed below. */
    static final Set<String> EVERYTHING = Set.of("*");

    private EventFootprint() {
    }

    static Set<String> of(CoordinatorEvent event) {
        if (event instanceof CoordinatorEvent.ReleaseAccepted r) {
            return Set.of("release/" + r.requestId() + "/" + r.index());
        }
        if (event instanceof CoordinatorEvent.ReleaseRefused r) {
            return Set.of("refused-releases/" + r.requestId());
        }
        return EVERYTHING;
    }

    /** Whether an event of footprint {@code next} must see the events of footprint {@code taken} applied first. */
    static boolean overlaps(Set<String> taken, Set<String> next) {
        if (taken.isEmpty()) {
            return false;
        }
        if (taken.contains("*") || next.contains("*")) {
            return true;
        }
        for (String part : next) {
            if (taken.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
