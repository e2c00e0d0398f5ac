package dev.keyescrow.node.cluster;

/** Handles one message's bytes, read from a cluster map and checked by {@code ReceivedEntry}. */
interface MessageHandler {
    void handle(byte[] value);
}
