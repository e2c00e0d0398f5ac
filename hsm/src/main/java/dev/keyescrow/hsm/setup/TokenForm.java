package dev.keyescrow.hsm.setup;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import java.nio.file.Path;

/**
 * The {@code token} object of a node's or the coordinator's configuration file, read and
 * written as this record, and its one interpretation: both servers configure their token the
 * same way. The constructor checks what the object alone says (kind, the settings the kind
 * needs, exactly one PIN or passphrase source, the key-wrap mechanism); {@link #settings}
 * what depends on the server (development mode, paths relative to the file).
 *
 * @throws IllegalArgumentException naming the missing or invalid setting
 */
public record TokenForm(String kind, String vault, String passphraseFile, String passphraseEnv, String library,
                        String label, String pinFile, String pinEnv, String keyWrap) {
    public TokenForm {
        switch (require(kind, "token.kind")) {
            case "software" -> {
                require(vault, "token.vault");
                requireOneSource(passphraseFile, passphraseEnv, "token.passphrase");
            }
            case "pkcs11" -> {
                require(library, "token.library");
                require(label, "token.label");
                requireOneSource(pinFile, pinEnv, "token.pin");
                keyWrapMechanism(keyWrap);
            }
            default -> throw new IllegalArgumentException("token.kind must be pkcs11 or software");
        }
    }

    /** A PKCS#11 token whose user PIN is in {@code pinFile} (relative to the configuration file). */
    public static TokenForm pkcs11(String library, String label, String pinFile) {
        return new TokenForm("pkcs11", null, null, null, library, label, pinFile, null, null);
    }

    /** The development vault whose passphrase is in {@code passphraseFile} (relative to the configuration file). */
    public static TokenForm software(String vault, String passphraseFile) {
        return new TokenForm("software", vault, passphraseFile, null, null, null, null, null, null);
    }

    /**
     * The settings this form describes, relative paths resolved against {@code base}.
     *
     * @param dev whether the server runs in development mode (the only mode that allows the software vault)
     * @throws IllegalArgumentException if the software vault is asked for outside development mode
     */
    public TokenSettings settings(Path base, boolean dev) {
        if (kind.equals("software")) {
            if (!dev) {
                throw new IllegalArgumentException("token.kind software (the development vault) is allowed only"
                        + " with \"dev\": true");
            }
            return new TokenSettings.Software(base.resolve(vault), pinSource(passphraseFile, passphraseEnv, base));
        }
        return new TokenSettings.Pkcs11(Path.of(library), label, pinSource(pinFile, pinEnv, base),
                keyWrapMechanism(keyWrap));
    }

    private static KeyWrapMechanism keyWrapMechanism(String keyWrap) {
        try {
            return keyWrap == null ? KeyWrapMechanism.AES_KEY_WRAP_PAD : KeyWrapMechanism.parse(keyWrap);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("token.keyWrap: " + e.getMessage(), e);
        }
    }

    private static void requireOneSource(String file, String env, String what) {
        if ((file == null) == (env == null)) {
            throw new IllegalArgumentException(what + ": give exactly one of " + what + "File or " + what + "Env");
        }
    }

    private static PinSource pinSource(String file, String env, Path base) {
        return file != null ? PinSource.fromFile(base.resolve(file)) : PinSource.fromEnvironment(env);
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting: " + name);
        }
        return value;
    }
}
