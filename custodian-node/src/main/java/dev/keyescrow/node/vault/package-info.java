/**
 * The node's shares: imported into its token, kept as blobs (wrapped under the token's
 * epoch KEK) in the blob store, released for one request at a time, and crypto-shredded.
 * Every step is journaled through the node service before its result leaves the node.
 */
package dev.keyescrow.node.vault;
