package dev.keyescrow.coordinator.config;

/** A configuration that cannot be used; the message names the setting. Start-up stops. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
