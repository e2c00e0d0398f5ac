package dev.keyescrow.hsm.spec;

/**
 * The purposes a transport KEK can be derived for; each has its own label (written into the
 * derivation input, so KEKs of different purposes are unrelated) and its own context layout.
 */
public enum KekPurpose {
    /** A share sent by a key ceremony to a node. */
    IMPORT("import"),
    /** A share released by a node for one request. */
    RELEASE("release"),
    /** A whole key sent by {@code escrow key import} to the coordinator. */
    KEY_IMPORT("key-import"),
    /**
     * A share released by a node for an EXPORT request, to the recipient public key that the
     * approved request names: only the recipient's private key opens it, never the coordinator.
     */
    EXPORT_RELEASE("export-release"),
    /**
     * A FROST share wrapped by the token to a one-time key of the node's own process, which
     * unwraps it there for one signing round ({@code Token#unwrapFrostShare}): the one way a
     * share's clear value reaches a JVM, and it opens nothing made for another purpose.
     */
    FROST_SIGN("frost-sign"),
    /**
     * A DKG round-two share: participant {@code sender}'s evaluation sent by its node to the
     * recipient participant's node, bound to the ceremony, the key version and both participants.
     */
    DKG_SHARE("frost-dkg-share");

    private final String label;

    KekPurpose(String label) {
        this.label = label;
    }

    /** The ASCII label written into the derivation input. */
    public String label() {
        return label;
    }
}
