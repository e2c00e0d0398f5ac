package dev.keyescrow.journal.blob;

/** Points inside {@link BlobStore#compact}, named so tests can interrupt it at each. */
enum CompactionStage {
    /** The new generation is written and fsynced; {@code CURRENT} still names the old one. */
    NEW_GENERATION_WRITTEN,
    /** {@code CURRENT} names the new generation; the old file is not yet wiped. */
    SWITCHED
}
