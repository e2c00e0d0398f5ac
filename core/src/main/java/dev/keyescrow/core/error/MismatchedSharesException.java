package dev.keyescrow.core.error;

/** Refused: shares come from different splits or carry different parameters; names the field. */
public final class MismatchedSharesException extends SharingException {
    private final String field;

    public MismatchedSharesException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The differing field: {@code split id}, {@code threshold}, {@code share count}, {@code secret length} or {@code scheme version}. */
    public String field() {
        return field;
    }
}
