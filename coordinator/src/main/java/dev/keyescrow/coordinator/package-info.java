/**
 * The coordinator: enrolment, key ceremonies, the quorum workflow, reconstruction and
 * key-use sessions, its HTTP API. Depends on core, hsm and journal; never on the node.
 */
package dev.keyescrow.coordinator;
