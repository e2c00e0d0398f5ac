package dev.keyescrow.hsm;

/** Where keys live; how a node describes its vault in {@code GET /v1/node}. */
public enum VaultKind {
    /** A PKCS#11 token (an HSM, or SoftHSM2). */
    PKCS11("pkcs11"),
    /** The development vault: a BCFKS file. Development mode only. */
    SOFTWARE("software");

    private final String wireName;

    VaultKind(String wireName) {
        this.wireName = wireName;
    }

    /** The name used on the wire and in logs. */
    public String wireName() {
        return wireName;
    }
}
