package dev.keyescrow.hsm.pkcs11;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.xipki.pkcs11.wrapper.ModuleInfo;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Loading of PKCS#11 modules. A module is loaded and C_Initialize'd once per process
 * (SoftHSM2 reads {@code SOFTHSM2_CONF} at that moment, and a second C_Initialize fails),
 * so {@link #shared} keeps one instance per library for the life of the process; several
 * tokens (by label) share it.
 */
public final class Pkcs11Modules {
    private static final Map<Path, PKCS11Module> SHARED = new HashMap<>();

    private Pkcs11Modules() {
    }

    /** Loads and initializes the module at {@code library}; the caller owns it. */
    public static PKCS11Module load(Path library) throws IOException, TokenException {
        WrapperLogging.install();
        PKCS11Module module = PKCS11Module.getInstance(library.toString());
        module.initialize();
        return module;
    }

    /** The process-wide instance of the module at {@code library}, loaded on first use; never finalized. */
    public static synchronized PKCS11Module shared(Path library) throws IOException, TokenException {
        Path key = library.toAbsolutePath().normalize();
        PKCS11Module module = SHARED.get(key);
        if (module == null) {
            module = load(key);
            SHARED.put(key, module);
        }
        return module;
    }

    /** The module's C_GetInfo, trimmed of PKCS#11's blank padding. */
    public static ModuleDescription describe(PKCS11Module module) throws TokenException {
        ModuleInfo info = module.getInfo();
        return new ModuleDescription(info.getManufacturerID().trim(), info.getLibraryDescription().trim(),
                String.valueOf(info.getCryptokiVersion()), String.valueOf(info.getLibraryVersion()));
    }
}
