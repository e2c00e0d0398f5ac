/**
 * The coordinator as a Hazelcast member: it publishes signed imports, manifests and requests,
 * and hands what the nodes publish (import receipts, answers, releases, shred receipts) to
 * the coordinator's verifiers. Hazelcast only carries bytes; nothing it delivers counts
 * before its signature verified under a pinned key. Must not depend on {@code http}.
 */
package dev.keyescrow.coordinator.cluster;
