package dev.keyescrow.hsm.pkcs11;

import java.util.Locale;

/**
 * The PKCS#11 mechanism that implements RFC 5649 (AES-KWP) on a given module: SoftHSM2 2.6
 * has it as {@code CKM_AES_KEY_WRAP_PAD} (0x210A), PKCS#11 3.0 names it
 * {@code CKM_AES_KEY_WRAP_KWP} (0x210B). The bytes are identical; only the code differs,
 * so it is a setting, checked against the token's mechanism list when the token opens.
 */
public enum KeyWrapMechanism {
    AES_KEY_WRAP_PAD(0x210AL, "CKM_AES_KEY_WRAP_PAD"),
    AES_KEY_WRAP_KWP(0x210BL, "CKM_AES_KEY_WRAP_KWP");

    private final long code;
    private final String pkcs11Name;

    KeyWrapMechanism(long code, String pkcs11Name) {
        this.code = code;
        this.pkcs11Name = pkcs11Name;
    }

    public long code() {
        return code;
    }

    public String pkcs11Name() {
        return pkcs11Name;
    }

    /** Parses a setting: {@code 0x210A}, {@code 0x210B}, or the PKCS#11 name. */
    public static KeyWrapMechanism parse(String setting) {
        String s = setting.trim().toUpperCase(Locale.ROOT);
        for (KeyWrapMechanism m : values()) {
            if (s.equals(m.pkcs11Name) || s.equals(String.format("0X%04X", m.code))) {
                return m;
            }
        }
        throw new IllegalArgumentException("key-wrap mechanism '" + setting
                + "' is invalid: must be 0x210A (CKM_AES_KEY_WRAP_PAD) or 0x210B (CKM_AES_KEY_WRAP_KWP)");
    }

    @Override
    public String toString() {
        return pkcs11Name + String.format(" (0x%04X)", code);
    }
}
