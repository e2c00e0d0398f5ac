/**
 * The token layer used by the node and the coordinator: the {@link dev.keyescrow.hsm.Token}
 * port (provisioned identity, transport and epoch keys; import, release, crypto-shredding
 * rotation), its value types and its typed failures. Keys live inside a PKCS#11 token
 * ({@code hsm.pkcs11}) or, in development mode only, the embedded software vault
 * ({@code hsm.software}); the byte-level constructions shared with software peers are in
 * {@code hsm.spec}. This package depends on core only — never on an implementation, the
 * node or the coordinator (checked by {@code HsmArchitectureTest}).
 */
package dev.keyescrow.hsm;
