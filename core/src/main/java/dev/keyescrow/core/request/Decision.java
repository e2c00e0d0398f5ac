package dev.keyescrow.core.request;

/** A custodian's answer to a request. */
public enum Decision {
    APPROVE,
    DENY
}
