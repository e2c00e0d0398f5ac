package dev.keyescrow.hsm.pkcs11;

import java.io.IOException;
import java.nio.file.Path;
import org.xipki.pkcs11.wrapper.ModuleInfo;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Loading of PKCS#11 modules. A module is loaded and C_Initialize'd once per process
 * (SoftHSM2 reads {@code SOFTHSM2_CONF} at that moment), so callers keep the instance.
 */
public final class Pkcs11Modules {
    private Pkcs11Modules() {
    }

    /** Loads and initializes the module at {@code library}. */
    public static PKCS11Module load(Path library) throws IOException, TokenException {
        PKCS11Module module = PKCS11Module.getInstance(library.toString());
        module.initialize();
        return module;
    }

    /** The module's C_GetInfo, trimmed of PKCS#11's blank padding. */
    public static ModuleDescription describe(PKCS11Module module) throws TokenException {
        ModuleInfo info = module.getInfo();
        return new ModuleDescription(info.getManufacturerID().trim(), info.getLibraryDescription().trim(),
                String.valueOf(info.getCryptokiVersion()), String.valueOf(info.getLibraryVersion()));
    }
}
