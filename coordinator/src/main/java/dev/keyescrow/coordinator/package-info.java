/**
 * The coordinator: enrolment, key ceremonies, the quorum workflow, reconstruction and
 * key-use sessions, its HTTP API and its cluster member. {@link dev.keyescrow.coordinator.CoordinatorServer}
 * is the entry point (what {@code ./escrow coordinator start} runs); {@link dev.keyescrow.coordinator.Coordinator}
 * is the application behind the API. Depends on core, hsm and journal; never on the node.
 */
package dev.keyescrow.coordinator;
