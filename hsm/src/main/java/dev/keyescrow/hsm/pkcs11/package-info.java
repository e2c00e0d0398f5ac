/**
 * The {@link dev.keyescrow.hsm.Token} on any PKCS#11 module, through
 * {@code org.xipki:ipkcs11wrapper} (the JDK's SunPKCS11 can neither wrap with AES-KW nor
 * derive ECDH into the token). {@code Pkcs11Token} composes one type per concept: logging in
 * and finding the token's objects, the transport key's ECDH derivation, share wrapping, the
 * epoch KEKs and their rotation, the seal key, session keys and the identity signer. Besides:
 * module loading (once per process), token settings (library, label, PIN source, RFC 5649
 * mechanism code), object templates and the reading of PKCS#11 failures. Depends on core, the
 * port and {@code hsm.spec}; never on the software vault.
 */
package dev.keyescrow.hsm.pkcs11;
