package dev.keyescrow.journal;

import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.SoftwareP256Signer;

/** Fixed P-256 keys (RFC 6979 signing, so every signature in the tests is reproducible). */
final class TestKeys {
    /** The spec's vector key: scalar 01 02 … 20. */
    static final SoftwareP256Signer WRITER = fromScalarStartingAt(1);
    /** Someone else's key, for re-signing attacks: scalar 21 22 … 40. */
    static final SoftwareP256Signer OTHER = fromScalarStartingAt(0x21);

    private TestKeys() {
    }

    static SoftwareP256Signer fromScalarStartingAt(int first) {
        byte[] scalar = new byte[32];
        for (int i = 0; i < 32; i++) {
            scalar[i] = (byte) (first + i);
        }
        return SoftwareP256Signer.fromPrivateKey(SecretBytes.moveFrom(scalar));
    }
}
