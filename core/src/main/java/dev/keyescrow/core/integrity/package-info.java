/**
 * Integrity of shares and keys: share commitments, key check values and the manifest that
 * pins a key version's custodians. Every reconstruction is checked against these before
 * the secret is used.
 */
package dev.keyescrow.core.integrity;
