/**
 * Benchmarks of the journal module: open time of a large journal with and without a
 * checkpoint. Simple mains that report figures; nothing here runs in CI. Depends on
 * keyescrow-journal (and core).
 */
package dev.keyescrow.bench.journal;
