package dev.keyescrow.coordinator.config;

/** A configuration that cannot be used; the message names the setting. Start-up stops. */
public final class CoordinatorConfigException extends Exception {
    public CoordinatorConfigException(String message) {
        super(message);
    }
}
