package dev.keyescrow.hsm.setup;

import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import dev.keyescrow.hsm.pkcs11.Pkcs11Modules;
import dev.keyescrow.hsm.pkcs11.Pkcs11Settings;
import dev.keyescrow.hsm.pkcs11.Pkcs11Token;
import dev.keyescrow.hsm.software.DevelopmentMode;
import dev.keyescrow.hsm.software.SoftwareToken;
import java.io.IOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import org.xipki.pkcs11.wrapper.PKCS11Module;

/**
 * Opens the token a configuration names, provisioning its keys on first use (the
 * enrolment step: keys are generated inside the token, then their fingerprints compared).
 */
public final class Tokens {
    private Tokens() {
    }

    /**
     * Opens the token, provisioning it if it has no keys yet: the enrolment step
     * ({@code escrow node fingerprint}), where keys are generated and their fingerprints compared.
     *
     * @throws TokenFailureException the module cannot be loaded, the token is missing or unreadable
     */
    public static Token openOrProvision(TokenSettings settings, String ownerId, SecureRandom random)
            throws TokenFailureException {
        return open(settings, ownerId, random, true);
    }

    /**
     * Opens a provisioned token and never provisions one: a server starting on a token whose
     * keys are gone must refuse to serve and say so (the quorum re-provisions it), rather than
     * come up with new keys nobody pinned.
     *
     * @throws TokenNotProvisionedException the token (or vault file) has no keys
     * @throws TokenFailureException        the module cannot be loaded, the token is unreadable
     */
    public static Token open(TokenSettings settings, String ownerId, SecureRandom random)
            throws TokenFailureException {
        return open(settings, ownerId, random, false);
    }

    private static Token open(TokenSettings settings, String ownerId, SecureRandom random, boolean provision)
            throws TokenFailureException {
        if (settings instanceof TokenSettings.Software s) {
            // TokenSettings.Software exists only where the configuration enabled development mode
            DevelopmentMode dev = DevelopmentMode.explicitlyEnabled();
            if (Files.exists(s.vault())) {
                return SoftwareToken.open(dev, s.vault(), s.passphrase(), ownerId, random);
            }
            if (!provision) {
                throw new TokenNotProvisionedException("the development vault " + s.vault().getFileName()
                        + " does not exist: provision it at enrolment (escrow node fingerprint)");
            }
            return SoftwareToken.provision(dev, s.vault(), s.passphrase(), ownerId, random);
        }
        TokenSettings.Pkcs11 p = (TokenSettings.Pkcs11) settings;
        PKCS11Module module;
        try {
            module = Pkcs11Modules.shared(p.library()); // C_Initialize once per process
        } catch (IOException | org.xipki.pkcs11.wrapper.TokenException e) {
            throw new TokenFailureException("cannot load the PKCS#11 module " + p.library().getFileName() + ": "
                    + e.getClass().getSimpleName());
        }
        Pkcs11Settings pkcs11 = new Pkcs11Settings(p.library(), p.label(), p.pin(), p.keyWrap(), ownerId);
        try {
            return Pkcs11Token.open(module, pkcs11);
        } catch (TokenNotProvisionedException e) {
            if (!provision) {
                throw e;
            }
            return Pkcs11Token.provision(module, pkcs11);
        }
    }
}
