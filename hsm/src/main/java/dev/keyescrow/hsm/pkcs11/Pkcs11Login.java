package dev.keyescrow.hsm.pkcs11;

import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.TokenNotProvisionedException;
import java.util.Arrays;
import org.xipki.pkcs11.wrapper.PKCS11Module;
import org.xipki.pkcs11.wrapper.PKCS11Token;
import org.xipki.pkcs11.wrapper.Slot;
import org.xipki.pkcs11.wrapper.TokenException;

/**
 * Logging in to the token named by the settings: its slot found by label, the PIN read and
 * zeroed, and every mechanism the layer needs checked before any use, so a token that lacks
 * one is refused at open rather than mid-ceremony.
 */
final class Pkcs11Login {
    private Pkcs11Login() {
    }

    /** A step on a logged-in token; any failure closes its sessions. */
    interface Step<T> {
        T run() throws TokenException, TokenFailureException;
    }

    static PKCS11Token login(PKCS11Module module, Pkcs11Settings settings) throws TokenFailureException {
        Slot slot;
        try {
            slot = findSlot(module, settings.tokenLabel());
        } catch (TokenException e) {
            throw new TokenFailureException("cannot list the module's slots: " + Pkcs11Failures.name(e));
        }
        char[] pin = settings.pin().read();
        try {
            PKCS11Token p11 = new PKCS11Token(slot.getToken(), false, pin);
            for (long required : new long[] {Mechanisms.CKM_EC_KEY_PAIR_GEN, Mechanisms.CKM_ECDSA,
                    Mechanisms.CKM_ECDH1_DERIVE, Mechanisms.CKM_AES_ECB_ENCRYPT_DATA, Mechanisms.CKM_AES_KEY_GEN,
                    settings.keyWrap().code()}) {
                if (!p11.getMechanisms().contains(required)) {
                    p11.closeAllSessions();
                    throw new TokenFailureException(String.format(
                            "token '%s' lacks mechanism 0x%04X%s", settings.tokenLabel(), required,
                            required == settings.keyWrap().code() ? " (the configured key-wrap " + settings.keyWrap()
                                    + "; check the keyWrap setting)" : ""));
                }
            }
            return p11;
        } catch (TokenException e) {
            throw new TokenFailureException("cannot log in to token '" + settings.tokenLabel() + "': "
                    + Pkcs11Failures.name(e));
        } finally {
            // ipkcs11wrapper keeps a reference to this array for re-login; zeroing it means a
            // lost login is recovered by reopening the token (its handles change anyway)
            Arrays.fill(pin, '\0');
        }
    }

    /** Runs {@code step}; on failure closes the token's sessions, naming {@code what} failed. */
    static <T> T closingOnFailure(PKCS11Token p11, String what, Step<T> step) throws TokenFailureException {
        try {
            return step.run();
        } catch (TokenException e) {
            p11.closeAllSessions();
            throw new TokenFailureException(what + " failed: " + Pkcs11Failures.name(e));
        } catch (TokenFailureException e) {
            p11.closeAllSessions();
            throw e;
        }
    }

    private static Slot findSlot(PKCS11Module module, String label) throws TokenException, TokenFailureException {
        for (Slot slot : module.getSlotList(true)) {
            var info = slot.getToken().getTokenInfo();
            if (info.isTokenInitialized() && label.equals(info.getLabel().trim())) {
                return slot;
            }
        }
        throw new TokenNotProvisionedException("no initialized token labelled '" + label + "' in the module");
    }
}
