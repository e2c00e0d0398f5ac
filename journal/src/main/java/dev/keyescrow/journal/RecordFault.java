package dev.keyescrow.journal;

import java.util.Objects;

/**
 * The first bad record of a journal: the sequence number it should have (one more than the
 * last good record — the only number that means something when the record does not parse),
 * the byte offset of its frame in the journal file, the defect, and a detail for people.
 */
public record RecordFault(long sequence, long offset, Defect defect, String detail) implements java.io.Serializable {
    public RecordFault {
        Objects.requireNonNull(defect, "defect");
        Objects.requireNonNull(detail, "detail");
    }

    /** One line such as {@code record 17 at byte 2310: BAD_SIGNATURE (signature does not verify)}. */
    public String describe() {
        return "record " + sequence + " at byte " + offset + ": " + defect + " (" + detail + ")";
    }
}
