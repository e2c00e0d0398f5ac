package dev.keyescrow.hsm.setup;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import java.nio.file.Path;

/**
 * The {@code token} object of a node's or the coordinator's configuration file, as read, and
 * its one interpretation: both servers configure their token the same way.
 */
public record TokenForm(String kind, String vault, String passphraseFile, String passphraseEnv, String library,
                        String label, String pinFile, String pinEnv, String keyWrap) {

    /**
     * The settings this form describes, relative paths resolved against {@code base}.
     *
     * @param dev whether the server runs in development mode (the only mode that allows the software vault)
     * @throws IllegalArgumentException naming the missing or invalid setting
     */
    public TokenSettings settings(Path base, boolean dev) {
        switch (require(kind, "token.kind")) {
            case "software" -> {
                if (!dev) {
                    throw new IllegalArgumentException("token.kind software (the development vault) is allowed only"
                            + " with \"dev\": true");
                }
                return new TokenSettings.Software(base.resolve(require(vault, "token.vault")),
                        pinSource(passphraseFile, passphraseEnv, base, "token.passphrase"));
            }
            case "pkcs11" -> {
                KeyWrapMechanism wrap;
                try {
                    wrap = keyWrap == null ? KeyWrapMechanism.AES_KEY_WRAP_PAD : KeyWrapMechanism.parse(keyWrap);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("token.keyWrap: " + e.getMessage(), e);
                }
                return new TokenSettings.Pkcs11(Path.of(require(library, "token.library")),
                        require(label, "token.label"), pinSource(pinFile, pinEnv, base, "token.pin"), wrap);
            }
            default -> throw new IllegalArgumentException("token.kind must be pkcs11 or software");
        }
    }

    private static PinSource pinSource(String file, String env, Path base, String what) {
        if ((file == null) == (env == null)) {
            throw new IllegalArgumentException(what + ": give exactly one of " + what + "File or " + what + "Env");
        }
        return file != null ? PinSource.fromFile(base.resolve(file)) : PinSource.fromEnvironment(env);
    }

    private static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing setting: " + name);
        }
        return value;
    }
}
