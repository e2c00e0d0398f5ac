package dev.keyescrow.journal;

import java.io.IOException;

/**
 * A frame header announces a length that no frame can have (zero, or above
 * {@link AppendOnlyLog#MAX_FRAME}), and what follows is not a zero-filled tail. Not a torn
 * write: the file was altered or is not a log. Stop.
 */
public final class ImpossibleFrameLengthException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long offset;
    private final long length;

    public ImpossibleFrameLengthException(String fileName, long offset, long length) {
        super("journal " + fileName + ": frame at byte " + offset + " has impossible length " + length);
        this.offset = offset;
        this.length = length;
    }

    public long offset() {
        return offset;
    }

    public long length() {
        return length;
    }
}
