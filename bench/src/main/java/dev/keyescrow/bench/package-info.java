/**
 * Performance and timing evidence for the core's Shamir sharing, kept out of the build's
 * critical path: nothing here runs during {@code mvn verify}.
 *
 * <p>{@link dev.keyescrow.bench.ShamirComparison} runs the JMH comparison with Bouncy
 * Castle and codahale/shamir and prints the ratios against the targets;
 * {@link dev.keyescrow.bench.TimingReport} is the dudect-style timing report. How to run
 * them, and the figures of the last run, are in {@code docs/performance.md}.
 */
package dev.keyescrow.bench;
