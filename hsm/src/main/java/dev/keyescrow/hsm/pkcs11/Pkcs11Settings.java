package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.PinSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How to reach a node's token: the module library, the token's label, where its user PIN
 * comes from (environment or file, never the configuration file), the RFC 5649 mechanism
 * code of this module, and the node id its statements carry.
 */
public record Pkcs11Settings(Path library, String tokenLabel, PinSource pin, KeyWrapMechanism keyWrap, String nodeId) {
    public Pkcs11Settings {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(pin, "pin");
        Objects.requireNonNull(keyWrap, "keyWrap");
        if (tokenLabel == null || tokenLabel.isBlank() || tokenLabel.length() > 32) {
            throw new IllegalArgumentException("tokenLabel is invalid: must be 1 to 32 characters");
        }
        Identifiers.require(nodeId, "nodeId");
    }
}
