package dev.keyescrow.hsm.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKA_VALUE;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_AES;
import static org.xipki.pkcs11.wrapper.PKCS11Constants.CKK_GENERIC_SECRET;

import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.TokenFailureException;
import dev.keyescrow.hsm.spec.AesKwp;
import dev.keyescrow.hsm.spec.ShareLength;
import dev.keyescrow.hsm.wycheproof.WycheproofCase;
import dev.keyescrow.hsm.wycheproof.WycheproofCase.Result;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xipki.pkcs11.wrapper.AttributeVector;
import org.xipki.pkcs11.wrapper.Mechanism;
import org.xipki.pkcs11.wrapper.PKCS11Token;

/**
 * Wycheproof AES-KW (RFC 3394) and AES-KWP (RFC 5649) on the JCA path, the software path
 * ({@code hsm.spec.AesKwp} for KWP; Bouncy Castle's RFC 3394 engine, test-only, for KW) and the PKCS#11 path (SoftHSM2, through
 * {@link Unwrapping}, the production unwrap). Every invalid case must be refused, and on
 * the PKCS#11 path refused as a corrupt blob, never as a token failure. Failures are
 * collected per case and asserted together.
 */
class WycheproofKeyWrapTest {
    private static PKCS11Token p11;

    @BeforeAll
    static void token() throws Exception {
        p11 = SoftHsm2.freshToken("wycheproof-kw").login();
    }

    @AfterAll
    static void close() {
        p11.closeAllSessions();
    }

    private enum Variant {
        KW("aes_wrap_test.json", "AES/KW/NoPadding", Mechanisms.CKM_AES_KEY_WRAP),
        KWP("aes_kwp_test.json", "AES/KWP/NoPadding", KeyWrapMechanism.AES_KEY_WRAP_PAD.code());

        final String file;
        final String jcaName;
        final long mechanism;

        Variant(String file, String jcaName, long mechanism) {
            this.file = file;
            this.jcaName = jcaName;
            this.mechanism = mechanism;
        }
    }

    @Test
    void aesKw_allPaths() throws Exception {
        run(Variant.KW);
    }

    @Test
    void aesKwp_allPaths() throws Exception {
        run(Variant.KWP);
    }

    private void run(Variant variant) throws Exception {
        List<WycheproofCase> cases = WycheproofCase.load(variant.file);
        assertTrue(cases.size() > 100, "vector file too small: " + cases.size());
        List<String> failures = new ArrayList<>();
        int pkcs11Valid = 0;
        int pkcs11Corrupt = 0;
        for (WycheproofCase c : cases) {
            byte[] key = c.hex("key");
            byte[] msg = c.hex("msg");
            byte[] ct = c.hex("ct");
            check(failures, c, "jca", jca(variant, key, ct), msg);
            check(failures, c, "software", software(variant, key, ct), msg);
            Outcome p = pkcs11(variant, key, ct, msg.length);
            check(failures, c, "pkcs11", p, msg);
            if (p.kind == Kind.TOKEN_FAILURE) {
                failures.add(c + " pkcs11: reported as token failure (" + p.detail + ")");
            }
            if (c.result() == Result.VALID && p.kind == Kind.OPENED) {
                pkcs11Valid++;
            }
            if (c.result() == Result.INVALID && p.kind == Kind.CORRUPT) {
                pkcs11Corrupt++;
            }
        }
        assertEquals(List.of(), failures);
        assertTrue(pkcs11Valid > 0 && pkcs11Corrupt > 0, "both outcomes exercised on PKCS#11");
    }

    private static void check(List<String> failures, WycheproofCase c, String path, Outcome outcome, byte[] msg) {
        switch (c.result()) {
            case VALID -> {
                if (outcome.kind != Kind.OPENED || !Arrays.equals(msg, outcome.value)) {
                    failures.add(c + " " + path + ": expected the message, got " + outcome.kind + " " + outcome.detail);
                }
            }
            case INVALID -> {
                if (outcome.kind == Kind.OPENED) {
                    failures.add(c + " " + path + ": an invalid case unwrapped");
                }
            }
            case ACCEPTABLE -> {
                if (outcome.kind == Kind.OPENED && !Arrays.equals(msg, outcome.value)) {
                    failures.add(c + " " + path + ": unwrapped to a different value");
                }
            }
        }
    }

    private enum Kind { OPENED, CORRUPT, TOKEN_FAILURE, REFUSED }

    private record Outcome(Kind kind, byte[] value, String detail) {
        static Outcome opened(byte[] value) {
            return new Outcome(Kind.OPENED, value, "");
        }

        static Outcome of(Kind kind, Exception e) {
            return new Outcome(kind, null, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Outcome jca(Variant variant, byte[] key, byte[] ct) {
        try {
            Cipher cipher = Cipher.getInstance(variant.jcaName, "SunJCE");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"));
            return Outcome.opened(cipher.doFinal(ct));
        } catch (Exception e) {
            return Outcome.of(Kind.REFUSED, e);
        }
    }

    private static Outcome software(Variant variant, byte[] key, byte[] ct) {
        try {
            if (variant == Variant.KWP) {
                try (SecretBytes value = AesKwp.unwrap(SecretBytes.copyFrom(key), ct)) {
                    return Outcome.opened(value.toByteArray(SecretAccess.plaintext()));
                }
            }
            if (ct.length < 24) {
                // RFC 3394 wraps at least two 64-bit blocks; Bouncy Castle's engine alone would
                // unwrap a one-block key (Wycheproof "incorrect wrapping of 8 bytes")
                return new Outcome(Kind.REFUSED, null, "RFC 3394 needs at least 24 wrapped bytes");
            }
            RFC3394WrapEngine engine = new RFC3394WrapEngine(AESEngine.newInstance());
            engine.init(false, new KeyParameter(key));
            return Outcome.opened(engine.unwrap(ct, 0, ct.length));
        } catch (CorruptBlobException e) {
            return Outcome.of(Kind.CORRUPT, e);
        } catch (Exception e) {
            return Outcome.of(Kind.REFUSED, e);
        }
    }

    private static Outcome pkcs11(Variant variant, byte[] key, byte[] ct, int expectedLength) throws Exception {
        long kek = p11.createObject(AttributeVector.newSecretKey(CKK_AES).token(false).value(key).sensitive(false)
                .wrap(true).unwrap(true));
        Mechanism mechanism = new Mechanism(variant.mechanism);
        try {
            long unwrapped = Unwrapping.unwrap(p11, mechanism, kek, ct, AttributeVector.newSecretKey(CKK_GENERIC_SECRET)
                    .token(false).sensitive(false).extractable(true), "vector", () -> Unwrapping.probe(p11, mechanism, kek));
            try {
                byte[] value = p11.getAttrValues(unwrapped, CKA_VALUE).value();
                if (variant == Variant.KWP && value.length != expectedLength) {
                    // SoftHSM2 2.6 returns odd lengths zero-padded: the spec's length rule applies
                    value = ShareLength.trim(SecretBytes.copyFrom(value), expectedLength)
                            .toByteArray(SecretAccess.plaintext());
                }
                return Outcome.opened(value);
            } finally {
                p11.destroyObject(unwrapped);
            }
        } catch (CorruptBlobException e) {
            return Outcome.of(Kind.CORRUPT, e);
        } catch (TokenFailureException e) {
            return Outcome.of(Kind.TOKEN_FAILURE, e);
        } finally {
            p11.destroyObject(kek);
        }
    }
}
