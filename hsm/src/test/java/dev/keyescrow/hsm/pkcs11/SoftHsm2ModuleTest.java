package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.PKCS11Module;

/**
 * Loads the real SoftHSM2 module. A machine without SoftHSM2 fails this test (never skips):
 * install the {@code softhsm2} package, as {@code .ci/run} does.
 */
class SoftHsm2ModuleTest {
    @Test
    void softHsm2IsInstalledAndDescribesItself() throws Exception {
        PKCS11Module module = SoftHsm2.module();
        ModuleDescription description = Pkcs11Modules.describe(module);
        assertEquals("SoftHSM", description.manufacturer());
        assertTrue(description.cryptokiVersion().startsWith("2.") || description.cryptokiVersion().startsWith("3."),
                description.cryptokiVersion());
        assertTrue(module.getSlotList(false).length >= 1, "SoftHSM2 always offers an uninitialized slot");
    }

    @Test
    void sharedModuleIsLoadedOncePerProcess() throws Exception {
        assertTrue(SoftHsm2.module() == Pkcs11Modules.shared(SoftHsm2.library()));
    }
}
