package dev.keyescrow.hsm.pkcs11;

/**
 * The PKCS#11 mechanism codes the token layer uses, named, so a log or a mechanism check
 * reads like the specification ({@code docs/spec/kdf.md}).
 */
public final class Mechanisms {
    public static final long CKM_EC_KEY_PAIR_GEN = 0x1040L;
    /** Raw ECDSA: SoftHSM2 2.6 rejects CKM_ECDSA_SHA256, so the SHA-256 is computed in Java. */
    public static final long CKM_ECDSA = 0x1041L;
    /** ECDH; SoftHSM2 2.6 accepts only {@link #CKD_NULL} as its KDF. */
    public static final long CKM_ECDH1_DERIVE = 0x1050L;
    public static final long CKM_AES_KEY_GEN = 0x1080L;
    /** AES-GCM, for USE sessions only (checked when a session key is opened, not at login). */
    public static final long CKM_AES_GCM = 0x1087L;
    /** Pure Ed25519, for USE sessions of ED25519 keys only. */
    public static final long CKM_EDDSA = 0x1057L;
    /** The in-token PRF of the transport KDF: a key whose value is AES-ECB(base key, data). */
    public static final long CKM_AES_ECB_ENCRYPT_DATA = 0x1104L;
    /** RFC 3394 AES key wrap without padding (used by the Wycheproof AES-KW vectors only). */
    public static final long CKM_AES_KEY_WRAP = 0x2109L;
    public static final long CKD_NULL = 0x1L;

    private Mechanisms() {
    }
}
