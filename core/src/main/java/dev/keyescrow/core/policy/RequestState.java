package dev.keyescrow.core.policy;

import java.util.EnumSet;
import java.util.Set;

/**
 * Life cycle of a request (design: Requests): PENDING → APPROVED → ACTIVE → EXECUTED, or
 * DENIED, EXPIRED, CANCELLED, FAILED. Terminal states release nothing, ever.
 */
public enum RequestState {
    PENDING,
    APPROVED,
    ACTIVE,
    EXECUTED,
    DENIED,
    EXPIRED,
    CANCELLED,
    FAILED;

    public boolean isTerminal() {
        return switch (this) {
            case EXECUTED, DENIED, EXPIRED, CANCELLED, FAILED -> true;
            default -> false;
        };
    }

    /** The states this one may move to. */
    public Set<RequestState> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(APPROVED, DENIED, EXPIRED, CANCELLED, FAILED);
            case APPROVED -> EnumSet.of(ACTIVE, EXECUTED, EXPIRED, CANCELLED, FAILED);
            case ACTIVE -> EnumSet.of(EXECUTED, EXPIRED, CANCELLED, FAILED);
            default -> EnumSet.noneOf(RequestState.class);
        };
    }

    /** This state's successor {@code next}, or {@link IllegalStateException} if the move is not allowed. */
    public RequestState moveTo(RequestState next) {
        if (!successors().contains(next)) {
            throw new IllegalStateException("a request cannot move from " + this + " to " + next);
        }
        return next;
    }
}
