/** The node's counters and HSM latencies, exposed at {@code GET /metrics} in the Prometheus text format. */
package dev.keyescrow.node.metrics;
