/**
 * The custodian node: its HTTP API, the approval checks and release policy, its cluster
 * membership. Depends on core, hsm and journal; never on the coordinator.
 */
package dev.keyescrow.node;
