package dev.keyescrow.journal.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyescrow.journal.CheckpointFormat;
import dev.keyescrow.journal.JournalFormatException;
import dev.keyescrow.journal.HeadFormat;
import dev.keyescrow.journal.RecordFormat;

/**
 * The three binary codecs: a record, a checkpoint and a published head (which arrives from
 * any cluster member) are refused with the journal's {@link JournalFormatException}, or decoded
 * from exactly the bytes they keep.
 */
class JournalFormatFuzzTest {
    @FuzzTest
    void record(byte[] input) {
        try {
            assertArrayEquals(input, RecordFormat.decode(input).encoded());
        } catch (JournalFormatException refused) {
            // a documented refusal
        }
    }

    @FuzzTest
    void checkpoint(byte[] input) {
        try {
            assertArrayEquals(input, CheckpointFormat.decode(input).encoded());
        } catch (JournalFormatException refused) {
            // a documented refusal
        }
    }

    @FuzzTest
    void head(byte[] input) {
        try {
            assertArrayEquals(input, HeadFormat.decode(input).encoded());
        } catch (JournalFormatException refused) {
            // a documented refusal
        }
    }
}
