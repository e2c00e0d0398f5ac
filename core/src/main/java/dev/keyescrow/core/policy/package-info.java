/**
 * The quorum rules every node enforces by itself (design: trust model 2): which answers
 * count, when a request is approved or denied, and the request life cycle. Pure values; the
 * node and the coordinator drive them and journal every transition.
 */
package dev.keyescrow.core.policy;
