/**
 * The durable log shared by the node and the coordinator: an append-only file whose
 * records are acknowledged only after fsync. Depends on core; never on a server.
 */
package dev.keyescrow.journal;
