package dev.keyescrow.node.config;

/** The configuration is missing, unreadable or invalid; the message names the setting. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
