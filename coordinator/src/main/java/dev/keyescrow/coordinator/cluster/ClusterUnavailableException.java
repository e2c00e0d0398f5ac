package dev.keyescrow.coordinator.cluster;

/** The cluster did not take or deliver a message in time; nothing was acknowledged. */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message) {
        super(message);
    }
}
