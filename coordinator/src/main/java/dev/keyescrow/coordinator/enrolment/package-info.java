/**
 * Trust anchors the coordinator pins: enrolled nodes (identity and transport public keys,
 * compared out of band by fingerprint and then fixed by configuration), registered
 * custodians (Ed25519 public keys) and operators (only SHA-256 hashes of their bearer
 * tokens). Public values only. Must not depend on {@code http} or {@code cluster}.
 */
package dev.keyescrow.coordinator.enrolment;
