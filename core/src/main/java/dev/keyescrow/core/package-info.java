/**
 * KeyEscrow core: the pure domain of the escrow — secret types, Shamir sharing over GF(256),
 * share formats, commitments and key check values, manifests and signatures.
 *
 * <p>This module does no I/O and depends on no framework: no Vert.x, Hazelcast, Jackson,
 * PKCS#11 or file-system classes (an ArchUnit test keeps it so). Bouncy Castle is its only
 * dependency.
 */
package dev.keyescrow.core;
