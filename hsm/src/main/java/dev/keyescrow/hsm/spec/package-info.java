/**
 * The constructions shared with software peers ({@code docs/spec/kdf.md},
 * {@code docs/spec/import-release.md}): the transport KDF, AES-KWP, the import envelope,
 * the coordinator's {@link dev.keyescrow.hsm.spec.ShareSender} and
 * {@link dev.keyescrow.hsm.spec.ReleaseOpener}, and the signed statements. Pure Java; no
 * PKCS#11. A PKCS#11 token computes the same bytes inside the token. AES and ECDH on secrets
 * run in the JDK (constant-time; see {@code JdkAes} and {@link dev.keyescrow.hsm.spec.P256}),
 * never in Bouncy Castle's table-based AES or variable-time point multiplication.
 */
package dev.keyescrow.hsm.spec;
