package dev.keyescrow.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers that take a journal file apart into frames and put it back together. */
final class JournalFiles {
    private JournalFiles() {
    }

    /** The complete frames (record bytes, without length prefixes) of {@code file}. */
    static List<byte[]> frames(Path file) throws IOException {
        List<byte[]> frames = new ArrayList<>();
        AppendOnlyLog.read(file, 0, (offset, frame) -> frames.add(frame));
        return frames;
    }

    /** Offsets of the frames of {@code file}. */
    static List<Long> offsets(Path file) throws IOException {
        List<Long> offsets = new ArrayList<>();
        AppendOnlyLog.read(file, 0, (offset, frame) -> offsets.add(offset));
        return offsets;
    }

    static void write(Path file, List<byte[]> frames) throws IOException {
        int size = 0;
        for (byte[] frame : frames) {
            size += 4 + frame.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (byte[] frame : frames) {
            out.putInt(frame.length).put(frame);
        }
        Files.write(file, out.array());
    }

    /** Signs {@code count} records {@code body-<i>} of kind {@code test} into {@code directory}'s journal. */
    static Path writeJournal(Path directory, dev.keyescrow.core.signature.Signer writer, int count) throws Exception {
        try (Journal journal = Journal.open(directory, writer, ScriptedClock.fromBase(), ReplayHandler.IGNORE)) {
            for (int i = 1; i <= count; i++) {
                journal.append("test", ("body-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            }
            return journal.file();
        }
    }
}
