package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Security;
import javax.crypto.Cipher;

/**
 * The JDK's AES (SunJCE), for every AES that touches secret material in software.
 *
 * <p>Why the JDK and not Bouncy Castle's {@code AESEngine}: Bouncy Castle's software AES
 * looks up tables indexed by key- and state-dependent bytes, a cache-timing channel to a
 * co-resident process. SunJCE's block function is a HotSpot intrinsic that runs on AES-NI
 * (x86-64) or the ARMv8 crypto extensions, which take constant time. The provider is named
 * so that a library registering its own provider first cannot silently take over.
 */
final class JdkAes {
    private static final String PROVIDER = "SunJCE";

    private JdkAes() {
    }

    /** A fresh, uninitialised {@code transformation} from SunJCE. */
    static Cipher cipher(String transformation) {
        Provider provider = Security.getProvider(PROVIDER);
        if (provider == null) {
            throw new BugException("the JDK's " + PROVIDER + " provider is not installed");
        }
        try {
            return Cipher.getInstance(transformation, provider);
        } catch (GeneralSecurityException e) {
            throw new BugException("the JDK's " + PROVIDER + " has no " + transformation, e);
        }
    }
}
