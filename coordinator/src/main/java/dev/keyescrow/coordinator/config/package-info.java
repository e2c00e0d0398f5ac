/**
 * The coordinator's settings, read strictly from a JSON file (unknown settings refused,
 * every missing or invalid one named). Holds no secret: operator tokens only as SHA-256
 * hashes, token PINs and passphrases only as where to read them. Must not depend on
 * {@code http}, {@code cluster} internals or Vert.x.
 */
package dev.keyescrow.coordinator.config;
