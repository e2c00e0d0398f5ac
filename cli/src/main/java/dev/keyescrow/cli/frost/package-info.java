/**
 * What the operator side needs for FROST signing keys: making one (today a trusted-dealer
 * import, one call so that it can become a distributed key generation) and checking the
 * quorum's signatures with a standard Ed25519 verifier that knows nothing of FROST.
 */
package dev.keyescrow.cli.frost;
