/**
 * Signature checks with Bouncy Castle. Signatures are length-checked exactly before
 * verification (JDK verifiers accept some malformed encodings), and duplicates are
 * detected by the signed body, never by signature bytes.
 */
package dev.keyescrow.core.signature;
