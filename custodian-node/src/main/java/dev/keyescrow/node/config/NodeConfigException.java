package dev.keyescrow.node.config;

/** The configuration is missing, unreadable or invalid; the message names the setting. */
public final class NodeConfigException extends Exception {
    public NodeConfigException(String message) {
        super(message);
    }
}
