package dev.keyescrow.cli.chaos;

/** The faults the suite injects; each is healed (restart, SIGCONT, token restored) before the next. */
public enum FaultKind {
    /** kill -9 of one node, then restart as the launcher does. */
    KILL_NODE,
    /** kill -9 of the coordinator, then restart. */
    KILL_COORDINATOR,
    /** kill -9 of two members at once (two nodes, or a node and the coordinator), then restart both. */
    KILL_TWO,
    /** SIGSTOP of one member for seconds (a long GC pause, a frozen VM), then SIGCONT. */
    PAUSE,
    /**
     * One node's token files corrupted while it is down: it must refuse to start and say why;
     * the files are then put back (the operator restores the token) and it starts again.
     */
    CORRUPT_TOKEN,
    /**
     * One node's state directory on a tmpfs filled to the last byte for seconds (only with
     * {@code --full-disk}): readiness 503 while full, nothing acknowledged that was not
     * persisted, ready again once space returns.
     */
    FULL_DISK,
    /**
     * One node restarted with its clock 10 minutes ahead or behind (a development-mode offset,
     * only with {@code --skew}) for seconds, then restarted on time: expiry and {@code createdAt}
     * checks hold (an ahead node refuses answers to requests expired by its clock, a behind node
     * refuses requests created in its future) and the invariants are unchanged.
     */
    CLOCK_SKEW
}
