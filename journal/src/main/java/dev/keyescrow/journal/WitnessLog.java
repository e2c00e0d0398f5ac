package dev.keyescrow.journal;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.journal.internal.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The heads other members published, as this member witnessed them: each one verified
 * against the publisher's pinned key, then appended durably (fsync before {@link #record}
 * returns) to its own append-only file, so a member that later shows a shorter or different
 * journal is caught by {@link HeadCheck} even after restarts.
 *
 * <p>Heads are kept in memory (a few per member per checkpoint interval); the file is the
 * same frame format as the journal, each frame one encoded {@link SignedHead}.
 */
public final class WitnessLog implements AutoCloseable {
    private final AppendOnlyLog log;
    private final List<SignedHead> heads;

    private WitnessLog(AppendOnlyLog log, List<SignedHead> heads) {
        this.log = log;
        this.heads = heads;
    }

    /**
     * Opens (or creates, with its directory) the witness file. A torn last frame is cut.
     *
     * @throws JournalFormatException a complete stored head does not parse (the file was altered)
     */
    public static WitnessLog open(Path file) throws IOException, JournalFormatException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            DurableFiles.createDirectory(parent);
        }
        List<SignedHead> heads = new ArrayList<>();
        AppendOnlyLog log = AppendOnlyLog.open(file, (offset, frame) -> heads.add(HeadFormat.decode(frame)));
        try {
            log.cutTornTail();
        } catch (IOException e) {
            log.close();
            throw e;
        }
        return new WitnessLog(log, heads);
    }

    /**
     * Verifies {@code head} against the publisher's {@code pinnedPublicKey} and stores it
     * durably. Refused heads are not stored.
     *
     * @return an earlier head of the same journal and writer with the same sequence and another
     *         hash, if there is one: the writer signed two histories (equivocation) — raise an
     *         alert. Both heads are kept, as evidence.
     * @throws SignatureException the head is not signed by (or does not name) the pinned key
     */
    public synchronized Optional<SignedHead> record(SignedHead head, byte[] pinnedPublicKey)
            throws IOException, SignatureException {
        HeadFormat.verify(head, pinnedPublicKey);
        Optional<SignedHead> conflict = heads.stream()
                .filter(earlier -> earlier.journalId().equals(head.journalId())
                        && earlier.sequence() == head.sequence()
                        && Arrays.equals(earlier.writerFingerprint(), head.writerFingerprint())
                        && !Arrays.equals(earlier.headHash(), head.headHash()))
                .findFirst();
        log.append(head.encoded());
        heads.add(head);
        return conflict;
    }

    /** Every head recorded, oldest first. */
    public synchronized List<SignedHead> heads() {
        return Collections.unmodifiableList(new ArrayList<>(heads));
    }

    /** The recorded head of {@code journalId} with the highest sequence, if any. */
    public synchronized Optional<SignedHead> latest(String journalId) {
        SignedHead best = null;
        for (SignedHead head : heads) {
            if (head.journalId().equals(journalId) && (best == null || head.sequence() > best.sequence())) {
                best = head;
            }
        }
        return Optional.ofNullable(best);
    }

    @Override
    public void close() throws IOException {
        log.close();
    }
}
