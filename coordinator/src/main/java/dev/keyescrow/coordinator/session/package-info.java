/**
 * Key-use sessions: a reconstructed key, loaded into the coordinator's token as a
 * non-extractable session object, serves encrypt/decrypt (AES-256-GCM with AAD) or sign
 * (ECDSA P-256, Ed25519) for the requester named in its request only, for at most the time
 * and the number of operations the quorum approved, and is then destroyed. (EXPORT is not
 * here: the nodes wrap their shares to the recipient, and no coordinator code can open
 * them; {@code CoordinatorArchitectureTest}.) Sessions live in memory
 * only: a restart ends them and they are never rebuilt. Must not depend on {@code http}.
 */
package dev.keyescrow.coordinator.session;
