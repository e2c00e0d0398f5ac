package dev.keyescrow.core.integrity;

/** Algorithms of escrowed keys, with their wire names. */
public enum KeyAlgorithm {
    AES_256("AES-256"),
    EC_P256("EC-P256"),
    ED25519("ED25519");

    private final String wireName;

    KeyAlgorithm(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The algorithm named {@code wireName}, or {@link IllegalArgumentException}. */
    public static KeyAlgorithm fromWireName(String wireName) {
        for (KeyAlgorithm a : values()) {
            if (a.wireName.equals(wireName)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm: must be AES-256, EC-P256 or ED25519");
    }
}
