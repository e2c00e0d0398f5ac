package dev.keyescrow.journal;

import dev.keyescrow.core.error.SignatureException;
import java.io.IOException;
import java.util.Optional;

/**
 * What a member does with another member's published head: verify it under the pinned key,
 * and compare it with what was witnessed before. A head whose sequence went back (the
 * journal was truncated and restarted) or that names another hash at a sequence already
 * witnessed (the history was rewritten) is an alert; every other head is recorded durably,
 * so the comparison survives restarts.
 */
public final class HeadWitness {
    private final WitnessLog log;

    public HeadWitness(WitnessLog log) {
        this.log = log;
    }

    /**
     * Witnesses {@code head}.
     *
     * @return an alert in words if the publisher's journal went back or forked; empty if recorded
     * @throws SignatureException the head is not signed by the pinned key (ignore it: not from that member)
     */
    public synchronized Optional<String> witness(SignedHead head, byte[] pinnedPublicKey)
            throws SignatureException, IOException {
        HeadFormat.verify(head, pinnedPublicKey);
        Optional<SignedHead> latest = log.latest(head.journalId());
        if (latest.isPresent() && head.sequence() < latest.get().sequence()) {
            return Optional.of("the journal of " + head.journalId() + " went back from record "
                    + latest.get().sequence() + " to " + head.sequence() + ": truncated or restored from a backup");
        }
        if (latest.isPresent() && head.sequence() == latest.get().sequence()
                && java.util.Arrays.equals(head.headHash(), latest.get().headHash())) {
            return Optional.empty();
        }
        Optional<SignedHead> conflict = log.record(head, pinnedPublicKey);
        return conflict.map(earlier -> "the journal of " + head.journalId() + " has two different records at sequence "
                + head.sequence() + ": its history was rewritten");
    }

    /** The latest head witnessed for {@code journalId}. */
    public Optional<SignedHead> latest(String journalId) {
        return log.latest(journalId);
    }
}
