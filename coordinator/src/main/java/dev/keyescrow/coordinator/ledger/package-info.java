/**
 * The coordinator's state and its journal: every change is an event that is validated
 * against the state, written to the signed journal, and only then applied; on start the
 * journal is replayed. Public values only: no key material, no share, no ephemeral private
 * key (those live in {@code quorum} and {@code session}, in memory, or wrapped under the
 * coordinator's token). Must not depend on {@code http}, {@code cluster} or Vert.x.
 */
package dev.keyescrow.coordinator.ledger;
