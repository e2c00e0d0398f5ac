/**
 * Jazzer fuzz targets for the coordinator: the body of every route that takes one, over real
 * HTTP against a real coordinator in a real Hazelcast cluster, and the journal-event decoder
 * replayed at start. Regression inputs live under
 * {@code src/test/resources/dev/keyescrow/coordinator/fuzz/}; see {@code docs/fuzzing.md}.
 */
package dev.keyescrow.coordinator.fuzz;
