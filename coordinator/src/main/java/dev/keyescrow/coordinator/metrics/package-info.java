/**
 * The coordinator's Prometheus metrics ({@code GET /metrics}). Counts only: no request
 * ids, key names or other request data in labels.
 */
package dev.keyescrow.coordinator.metrics;
