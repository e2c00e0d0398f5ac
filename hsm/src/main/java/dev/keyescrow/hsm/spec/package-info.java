/**
 * The constructions shared with software peers ({@code docs/spec/kdf.md},
 * {@code docs/spec/import-release.md}): the transport KDF, AES-KWP, the import envelope,
 * the coordinator's {@link dev.keyescrow.hsm.spec.ShareSender} and
 * {@link dev.keyescrow.hsm.spec.ReleaseOpener}, and the signed statements. Pure Java and
 * Bouncy Castle; no PKCS#11. A PKCS#11 token computes the same bytes inside the token.
 */
package dev.keyescrow.hsm.spec;
