package dev.keyescrow.coordinator.ledger;

import java.util.Objects;

/**
 * What {@link CoordinatorService#submitAll} did with one event of a batch: journaled and
 * applied, unchanged (an idempotent repeat, not journaled), refused by a rule, or not
 * journaled because the journal or the token failed. Only {@link #journaled()} may be
 * acknowledged.
 */
public record SubmitOutcome(Status status, Exception problem) {
    public enum Status {
        JOURNALED,
        UNCHANGED,
        REFUSED,
        NOT_JOURNALED
    }

    static final SubmitOutcome JOURNALED = new SubmitOutcome(Status.JOURNALED, null);
    static final SubmitOutcome UNCHANGED = new SubmitOutcome(Status.UNCHANGED, null);

    public SubmitOutcome {
        Objects.requireNonNull(status, "status");
        if ((problem == null) != (status == Status.JOURNALED || status == Status.UNCHANGED)) {
            throw new IllegalArgumentException("a problem goes with REFUSED and NOT_JOURNALED only");
        }
    }

    static SubmitOutcome refused(RefusedException e) {
        return new SubmitOutcome(Status.REFUSED, e);
    }

    static SubmitOutcome notJournaled(Exception e) {
        return new SubmitOutcome(Status.NOT_JOURNALED, e);
    }

    /** True when the event is durable in the journal and applied: the only outcome to acknowledge. */
    public boolean journaled() {
        return status == Status.JOURNALED;
    }
}
