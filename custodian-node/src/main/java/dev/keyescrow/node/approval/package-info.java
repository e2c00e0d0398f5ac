/**
 * The node's own quorum enforcement: which manifests, requests and answers it accepts,
 * and when it may release a share. Every change is an event, validated first, journaled,
 * then applied; replaying the journal's events rebuilds the same state. No I/O here.
 */
package dev.keyescrow.node.approval;
