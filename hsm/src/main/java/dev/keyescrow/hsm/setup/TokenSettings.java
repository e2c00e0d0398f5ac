package dev.keyescrow.hsm.setup;

import dev.keyescrow.hsm.PinSource;
import dev.keyescrow.hsm.pkcs11.KeyWrapMechanism;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which token a node or the coordinator uses, as its configuration names it. Secrets (PIN,
 * passphrase) are never here: only where to read them ({@link PinSource}).
 */
public sealed interface TokenSettings {
    /**
     * The files that hold this token's secrets (PIN or passphrase file; the development vault),
     * by what they are: a member refuses to start when others can open one of them.
     */
    Map<String, Path> secretFiles();

    /** The development vault: a BCFKS file and the source of its passphrase. Development mode only. */
    record Software(Path vault, PinSource passphrase) implements TokenSettings {
        public Software {
            Objects.requireNonNull(vault, "vault");
            Objects.requireNonNull(passphrase, "passphrase");
        }

        @Override
        public Map<String, Path> secretFiles() {
            Map<String, Path> files = new LinkedHashMap<>();
            files.put("development vault", vault);
            passphrase.file().ifPresent(f -> files.put("vault passphrase file", f));
            return files;
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

        @Override
        public Map<String, Path> secretFiles() {
            return pin.file().map(f -> Map.of("PIN file", f)).orElse(Map.of());
        }
    }
}
