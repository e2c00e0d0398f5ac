package dev.keyescrow.journal;

/**
 * What {@link Journal#open} found: how many torn bytes it cut from the end (a crash during an
 * unacknowledged append; worth a log line, not an error), the sequence of the checkpoint it
 * started from (0 if it replayed from genesis), how many records it replayed, and the head.
 */
public record OpenReport(long tornBytesCut, long checkpointSequence, long replayedRecords, JournalHead head) {
}
