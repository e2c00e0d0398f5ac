package dev.keyescrow.hsm.setup;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which token a node or the coordinator uses, as its configuration names it. Secrets (PIN,
 * passphrase) are never here: only where to read them ({@link PinSource}).
 */
public sealed interface TokenSettings {
    /** The development vault: a BCFKS file and the source of its passphrase. Development mode only. */
    record Software(Path vault, PinSource passphrase) implements TokenSettings {
        public Software {
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(passphrase, "passphrase");
        }
    }

    /** A PKCS#11 token: module library, token label, PIN source, and the module's RFC 5649 mechanism code. */
    record Pkcs11(Path library, String label, PinSource pin, KeyWrapMechanism keyWrap) implements TokenSettings {
        public Pkcs11 {
            Objects.requireNonNull(library, "library");
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(pin, "pin");
            Objects.requireNonNull(keyWrap, "keyWrap");
        }
    }
}
