package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.PKCS11Module;

/**
 * Loads the real SoftHSM2 module. A machine without SoftHSM2 fails this test (never skips):
 * install the {@code softhsm2} package, as {@code .ci/run} does.
 */
class SoftHsm2ModuleTest {
    @Test
    void softHsm2IsInstalledAndDescribesItself() throws Exception {
        Path library = Pkcs11Library.locateSoftHsm2().orElseThrow(() -> new AssertionError(
                "SoftHSM2 is not installed (looked in " + Pkcs11Library.SOFTHSM2_LOCATIONS
                        + "); install the softhsm2 package"));
        // the build points SOFTHSM2_CONF at a configuration under target/; its token directory must exist
        Path tokens = Path.of(System.getenv("SOFTHSM2_CONF")).getParent().resolve("tokens");
        Files.createDirectories(tokens);
        PKCS11Module module = Pkcs11Modules.load(library);
        try {
            ModuleDescription description = Pkcs11Modules.describe(module);
            assertEquals("SoftHSM", description.manufacturer());
            assertTrue(description.cryptokiVersion().startsWith("2.") || description.cryptokiVersion().startsWith("3."),
                    description.cryptokiVersion());
            assertTrue(module.getSlotList(false).length >= 1, "SoftHSM2 always offers an uninitialized slot");
        } finally {
            module.finalize(null);
        }
    }
}
