/**
 * Messages the members exchange over the (untrusted) cluster: each is canonical JSON with a
 * {@code format} member, carrying things that are signed by a pinned key — the receiver
 * verifies them before anything counts. Specified in {@code docs/spec/cluster-messages.md}.
 */
package dev.keyescrow.core.wire;
