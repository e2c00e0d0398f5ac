/**
 * Requests and approvals: the canonical request of each operation, its digest, the
 * coordinator's signature over it, and the custodians' Ed25519 approval statements
 * ({@code docs/spec/request.md}). Pure values and checks; no I/O.
 */
package dev.keyescrow.core.request;
