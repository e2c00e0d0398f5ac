/**
 * The node's HTTP API (Vert.x Web): strict JSON in, RFC 9457 problem documents for every
 * refusal, a body size limit, blocking work off the event loop. DTOs live in {@code dto} and
 * are mapped explicitly to core types.
 */
package dev.keyescrow.node.http;
