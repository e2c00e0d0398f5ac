/**
 * The token layer used by the node and the coordinator: keys and shares kept inside a
 * PKCS#11 token (or, in development mode only, the embedded software vault). Depends on
 * core; never on the node or the coordinator.
 */
package dev.keyescrow.hsm;
