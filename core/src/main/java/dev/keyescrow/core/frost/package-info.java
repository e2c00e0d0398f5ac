/**
 * FROST(Ed25519, SHA-512) threshold signatures (RFC 9591) and a Pedersen DKG with proofs
 * of knowledge (Komlo and Goldberg), pure and without I/O. Encodings and messages are
 * specified in {@code docs/spec/frost.md}.
 *
 * <p>Secret scalars (shares, nonces, polynomial coefficients) live in {@link
 * dev.keyescrow.core.frost.SecretScalar}, which zeroes on close and never prints. Every
 * multiplication involving them is constant time (curve25519-elisabeth's fixed-window
 * tables with constant-time selection, and its constant-time scalar arithmetic); only
 * public values (identifiers, Lagrange denominators) use variable-time arithmetic.
 */
package dev.keyescrow.core.frost;
