package dev.keyescrow.server.config;

/** A configuration file is unreadable, not the expected JSON or invalid; the message names the setting. */
public final class ConfigFileException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigFileException(String message) {
        super(message);
    }
}
