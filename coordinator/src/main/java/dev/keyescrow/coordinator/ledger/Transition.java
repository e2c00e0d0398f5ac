package dev.keyescrow.coordinator.ledger;

import java.time.Instant;

/** One recorded state change: the new state's name, why, and when (the journal record's time). */
public record Transition(String state, String reason, Instant at) {
}
