package dev.keyescrow.server.checkpoint;

/**
 * When a server writes a checkpoint: after every {@code interval}-th journal record, and on a
 * clean stop when records were written since the last one. 10,000 records by default: about a
 * second of hashing to take one, against a restart that no longer re-verifies the signatures of
 * everything before it.
 */
public record CheckpointSchedule(long interval) {
    public static final CheckpointSchedule DEFAULT = new CheckpointSchedule(10_000);

    public CheckpointSchedule {
        if (interval < 1) {
            throw new IllegalArgumentException("a checkpoint interval is at least 1 record");
        }
    }

    /** Whether the record with this sequence is followed by a checkpoint. */
    public boolean due(long sequence) {
        return sequence > 0 && sequence % interval == 0;
    }
}
