package dev.keyescrow.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Offline audit of a journal file (the live one or a copy): checks every record from genesis
 * — format, sequence, signature under the pinned writer key, hash chain — without trusting or
 * reading any checkpoint, and without changing the file. Records of both versions are read;
 * a version-2 batch counts once its seal verifies (see {@link ChainCursor}). For {@code escrow audit verify FILE}.
 *
 * <p>This proves the file is a chain the writer signed; it cannot prove the file is the whole
 * chain (a deleted tail leaves a valid shorter chain). Compare with witnessed heads
 * ({@link HeadCheck}) for that.
 */
public final class JournalVerifier {
    private JournalVerifier() {
    }

    /**
     * Verifies {@code journalFile} against {@code writerPublicKey} (65-byte uncompressed P-256).
     *
     * @throws IOException the file cannot be read (missing, permissions) — not a verdict on it
     */
    public static VerificationReport verify(Path journalFile, byte[] writerPublicKey) throws IOException {
        Objects.requireNonNull(journalFile, "journalFile");
        Objects.requireNonNull(writerPublicKey, "writerPublicKey");
        ChainCursor cursor = ChainCursor.fromGenesis(writerPublicKey);
        try {
            AppendOnlyLog.Scan scan = AppendOnlyLog.read(journalFile, 0, cursor::accept);
            // chained records after the last seal are an unfinished batch, never acknowledged: torn, not verified
            long unsealed = cursor.unsealedFrom() < 0 ? 0 : scan.end() - cursor.unsealedFrom();
            return new VerificationReport(head(cursor), scan.tornBytes() + unsealed, null);
        } catch (JournalCorruptException e) {
            return new VerificationReport(head(cursor), 0, e.fault());
        } catch (ImpossibleFrameLengthException e) {
            return new VerificationReport(head(cursor), 0,
                    new RecordFault(cursor.nextSequence(), e.offset(), Defect.IMPOSSIBLE_LENGTH, e.getMessage()));
        }
    }

    private static JournalHead head(ChainCursor cursor) {
        return new JournalHead(cursor.sealedSequence(), cursor.sealedHash());
    }
}
