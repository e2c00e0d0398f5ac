package dev.keyescrow.cli;

import dev.keyescrow.core.integrity.KeyAlgorithm;
import io.vertx.core.json.JsonObject;

/** The {@code --scheme} of key import: checked here, so a bad choice exits 2 before anything is sent. */
final class KeySchemeOption {
    private KeySchemeOption() {
    }

    static void check(String scheme, KeyAlgorithm algorithm) throws BadInputException {
        if (!"SHAMIR".equals(scheme) && !"FROST".equals(scheme)) {
            throw new BadInputException("--scheme must be SHAMIR or FROST");
        }
        if ("FROST".equals(scheme) && algorithm != KeyAlgorithm.ED25519) {
            throw new BadInputException("--scheme FROST needs an ED25519 key, not " + algorithm.wireName());
        }
    }

    /** What the answer says of the scheme, for the line printed after an import. */
    static String describe(JsonObject created) {
        return "FROST".equals(created.getString("scheme"))
                ? " scheme FROST (group public key " + created.getString("publicKey", "") + ")" : "";
    }
}
