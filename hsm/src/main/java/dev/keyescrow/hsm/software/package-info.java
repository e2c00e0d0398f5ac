/**
 * The development vault: a {@link dev.keyescrow.hsm.Token} whose keys live in a BCFKS
 * keystore file. Plaintext shares do pass through this JVM, so it is for explicit
 * development mode only, and it describes itself as {@code software} everywhere. Depends
 * on core, the hsm port and {@code hsm.spec}; never on PKCS#11.
 */
package dev.keyescrow.hsm.software;
