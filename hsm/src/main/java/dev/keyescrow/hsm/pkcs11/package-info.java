/** PKCS#11 through {@code org.xipki:ipkcs11wrapper} (SunPKCS11 lacks AES key wrap and ECDH derive into the token). */
package dev.keyescrow.hsm.pkcs11;
