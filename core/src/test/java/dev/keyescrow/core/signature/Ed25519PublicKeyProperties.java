package dev.keyescrow.core.signature;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.secret.SecretBytes;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Every honestly generated custodian key passes the prime-order check; a key of another length never does. */
class Ed25519PublicKeyProperties {
    @Property(tries = 200)
    void everyGeneratedKeyIsValid(@ForAll @Size(32) byte[] seed) {
        try (SecretBytes privateKey = SecretBytes.copyFrom(seed)) {
            assertTrue(Ed25519.isValidPublicKey(Ed25519.publicKeyOf(privateKey)));
        }
    }

    @Property(tries = 200)
    void aKeyOfTheWrongLengthIsRefused(@ForAll @Size(max = 64) byte[] key) {
        if (key.length != 32) {
            assertFalse(Ed25519.isValidPublicKey(key));
        }
    }
}
