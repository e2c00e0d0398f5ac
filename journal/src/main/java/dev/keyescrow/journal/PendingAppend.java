package dev.keyescrow.journal;

import dev.keyescrow.core.error.KeyEscrowException;
import java.io.IOException;

/** One caller's record waiting for its batch; fields guarded by the journal's lock. */
final class PendingAppend {
    final String kind;
    final byte[] body;
    boolean done;
    JournalRecord record;
    Exception failure;

    /** Records in the {@code appendAll} group this one starts (1 for a lone append); read only on a group's first record. */
    int groupSize = 1;
    /** Bytes of the bodies of that group. */
    long groupBytes;

    PendingAppend(String kind, byte[] body) {
        this.kind = kind;
        this.body = body;
        this.groupBytes = body.length;
    }

    /** Marks this record as the first of a group of {@code size} records that one batch must take whole. */
    void startGroup(int size, long bytes) {
        groupSize = size;
        groupBytes = bytes;
    }

    void finish(JournalRecord written, Exception failed) {
        record = written;
        failure = failed != null ? failed : written == null ? new IllegalStateException("batch not written") : null;
        done = true;
    }

    JournalRecord outcome() throws IOException, KeyEscrowException {
        if (failure instanceof IOException e) {
            throw new IOException("journal batch failed: " + e.getMessage(), e);
        }
        if (failure instanceof KeyEscrowException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        return record;
    }
}
