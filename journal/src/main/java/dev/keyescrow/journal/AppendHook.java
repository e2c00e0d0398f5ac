package dev.keyescrow.journal;

/**
 * Test seam: called at each {@link AppendStage} of an append. Production code uses
 * {@link #NONE}; the crash test's child process blocks in it to be killed there.
 */
@FunctionalInterface
interface AppendHook {
    AppendHook NONE = (stage, offset) -> { };

    void at(AppendStage stage, long frameOffset);
}
