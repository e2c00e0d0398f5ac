package dev.keyescrow.hsm.spec;

/** The purposes a transport KEK can be derived for; each has its own context layout. */
public enum KekPurpose {
    IMPORT("import"),
    RELEASE("release");

    private final String label;

    KekPurpose(String label) {
        this.label = label;
    }

    /** The ASCII label written into the derivation input. */
    public String label() {
        return label;
    }
}
