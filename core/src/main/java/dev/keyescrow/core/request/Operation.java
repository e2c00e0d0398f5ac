package dev.keyescrow.core.request;

/** What a request asks the quorum to allow (design: Requests). */
public enum Operation {
    USE(true),
    EXPORT(true),
    ROTATE(false),
    REFRESH(true),
    RESHARE(true),
    DESTROY(false),
    COMPROMISE(false),
    /** FROST keys only: the holders' nodes sign the request's messages by quorum; no share is released. */
    SIGN(false);

    private final boolean needsRelease;

    Operation(boolean needsRelease) {
        this.needsRelease = needsRelease;
    }

    /** Whether nodes release their shares (to the coordinator's ephemeral key) once approved. */
    public boolean needsRelease() {
        return needsRelease;
    }

    /** Whether holder nodes take part in a threshold signature once approved (FROST keys). */
    public boolean signs() {
        return this == SIGN;
    }

    /** Whether nodes shred the version's shares once approved (DESTROY; REFRESH and RESHARE once replaced). */
    public boolean shreds() {
        return this == DESTROY || this == REFRESH || this == RESHARE;
    }
}
