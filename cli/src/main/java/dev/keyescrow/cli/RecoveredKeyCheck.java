package dev.keyescrow.cli;

import dev.keyescrow.coordinator.ceremony.KeyMaterial;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;

/**
 * The key check value of a key recovered outside the cluster, with its algorithm and length:
 * the line a person compares with the manifest before the key is used or imported. Printed on
 * standard error so that standard output stays the bare key for a pipeline.
 */
final class RecoveredKeyCheck {
    /** Every escrowed key is 32 bytes: an AES-256 key, a P-256 scalar or an Ed25519 seed. */
    static final int KEY_LENGTH = 32;

    private RecoveredKeyCheck() {
    }

    /** The KCV of {@code key} as a key of {@code algorithm}; refused if it cannot be one. */
    static String kcvOf(KeyAlgorithm algorithm, SecretBytes key) throws BadInputException {
        if (key.length() != KEY_LENGTH) {
            throw new BadInputException("a " + algorithm.wireName() + " key is " + KEY_LENGTH + " bytes, not "
                    + key.length());
        }
        try {
            return KeyMaterial.kcvOf(algorithm, key).hex();
        } catch (RuntimeException e) {
            throw new BadInputException("these bytes are not a valid " + algorithm.wireName() + " key");
        }
    }

    /** "AES-256, 32 bytes, KCV bc6efa": what a person reads aloud and compares with the manifest. */
    static String line(KeyAlgorithm algorithm, SecretBytes key) throws BadInputException {
        return algorithm.wireName() + ", " + key.length() + " bytes, KCV " + kcvOf(algorithm, key);
    }

    /**
     * Without a known algorithm: the KCV the key would have under each algorithm it can be,
     * labelled, so that the one of the manifest's algorithm can be compared.
     */
    static String linesForEveryAlgorithm(SecretBytes key) {
        if (key.length() != KEY_LENGTH) {
            return key.length() + " bytes: not an escrowed key (those are " + KEY_LENGTH + " bytes), no KCV";
        }
        StringBuilder out = new StringBuilder();
        for (KeyAlgorithm a : KeyAlgorithm.values()) {
            if (out.length() > 0) {
                out.append('\n');
            }
            try {
                out.append("as ").append(line(a, key));
            } catch (BadInputException e) {
                out.append("as ").append(a.wireName()).append(": not a valid key");
            }
        }
        return out.toString();
    }
}
