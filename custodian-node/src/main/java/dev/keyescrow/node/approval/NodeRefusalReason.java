package dev.keyescrow.node.approval;

/** Why the node refused an input; each has its HTTP status (RFC 9457 problem). */
public enum NodeRefusalReason {
    MALFORMED(400, "malformed input"),
    UNKNOWN_REQUEST(404, "unknown request"),
    UNKNOWN_KEY_VERSION(404, "unknown key version"),
    BAD_COORDINATOR_SIGNATURE(422, "not signed by the pinned coordinator"),
    NOT_PINNED(409, "manifest not countersigned by every custodian yet"),
    WRONG_REQUEST(422, "answer for another request"),
    UNKNOWN_CUSTODIAN(403, "custodian not pinned in this key version"),
    NOT_ON_THIS_NODE(403, "custodian's share is not on this node"),
    BAD_SIGNATURE(422, "signature does not verify"),
    EXPIRED(410, "request expired"),
    BAD_REQUEST_TIME(422, "request created ahead of the node's clock or living past the cap"),
    ALREADY_ANSWERED(409, "custodian already answered"),
    CLOSED(409, "request is closed"),
    CONFLICT(409, "conflicts with what the node pinned"),
    SHREDDED(410, "share was shredded");

    private final int status;
    private final String title;

    NodeRefusalReason(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** A stable problem type URI for this reason. */
    public String type() {
        return "https://keyescrow.dev/problems/" + name().toLowerCase().replace('_', '-');
    }
}
