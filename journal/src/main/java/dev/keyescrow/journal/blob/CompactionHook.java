package dev.keyescrow.journal.blob;

/** Test seam: called at each {@link CompactionStage}; a test throws to simulate a crash there. */
@FunctionalInterface
interface CompactionHook {
    CompactionHook NONE = stage -> { };

    void at(CompactionStage stage);
}
