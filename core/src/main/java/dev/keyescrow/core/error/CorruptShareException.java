package dev.keyescrow.core.error;

/** A share does not match its commitment: it was corrupted or forged. Names the index; never the value. */
public final class CorruptShareException extends SharingException {
    private final int index;

    public CorruptShareException(int index) {
        super("share " + index + " does not match its commitment: it is corrupt or forged");
        this.index = index;
    }

    public int index() {
        return index;
    }
}
