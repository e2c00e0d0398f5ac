/**
 * The coordinator's HTTP API over Vert.x (design: Contract: HTTP API, coordinator):
 * strict JSON bodies, operator bearer tokens, RFC 9457 problem documents for every refusal
 * (4xx for a client's mistake, never a 500), and a bounded refusal log. Everything blocking
 * runs on worker threads. Depends on the application ({@code Coordinator}); nothing depends on it.
 */
package dev.keyescrow.coordinator.http;
