package dev.keyescrow.coordinator.ledger;

/** A release that was refused, named by share index and node, never silently dropped. */
public record BadRelease(int index, String nodeId, String problem) {
}
