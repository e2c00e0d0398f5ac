package dev.keyescrow.coordinator.ledger;

/**
 * Why the coordinator refused something, each with its HTTP status and problem type, so a
 * refusal is named the same way wherever it is raised.
 */
public enum RefusalReason {
    MALFORMED(400, "malformed", "Bad Request"),
    BAD_SIGNATURE(422, "bad-signature", "Bad Signature"),
    UNAUTHENTICATED(401, "unauthenticated", "Unauthorized"),
    FORBIDDEN(403, "forbidden", "Forbidden"),
    NOT_FOUND(404, "not-found", "Not Found"),
    CONFLICT(409, "conflict", "Conflict"),
    WRONG_STATE(409, "wrong-state", "Conflict"),
    EXPIRED(410, "expired", "Expired"),
    SESSION_CLOSED(409, "session-closed", "Session Closed"),
    INVALID(422, "invalid", "Unprocessable Content"),
    UNSUPPORTED(501, "unsupported", "Not Implemented"),
    CLUSTER_UNAVAILABLE(503, "cluster-unavailable", "Service Unavailable");

    private final int status;
    private final String type;
    private final String title;

    RefusalReason(int status, String type, String title) {
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public int status() {
        return status;
    }

    /** The RFC 9457 {@code type} URI. */
    public String type() {
        return "https://keyescrow.dev/problems/" + type;
    }

    public String title() {
        return title;
    }
}
