package dev.keyescrow.coordinator.cluster;

import dev.keyescrow.core.error.PartUnavailable;

/** The cluster did not take or deliver a message in time; nothing was acknowledged. */
public final class ClusterUnavailableException extends RuntimeException implements PartUnavailable {
    public ClusterUnavailableException(String message) {
        super(message);
    }

    @Override
    public String part() {
        return "cluster";
    }
}
