package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.core.frost.CommitmentList;
import dev.keyescrow.core.wire.FrostCallMessage;

/** For tests outside this package: the RFC 9591 commitment list of message {@code j} of a round call. */
public final class FrostSigningLists {
    private FrostSigningLists() {
    }

    public static CommitmentList listFor(FrostCallMessage call, int j) {
        return FrostSigning.listFor(call, j);
    }
}
