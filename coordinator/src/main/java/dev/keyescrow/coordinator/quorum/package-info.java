/**
 * The quorum workflow: signed requests with a fresh ephemeral key each, the coordinator's
 * own count of the custodians' answers, verification of every release (the node's pinned
 * signature, the request it was made for, the holder in the manifest, the unwrap, the share
 * commitment) before at least {@code t} verified shares are combined, and what each
 * approved operation then does. Nodes enforce the quorum themselves; this count is the
 * coordinator's view and a second check. Must not depend on {@code http}.
 */
package dev.keyescrow.coordinator.quorum;
