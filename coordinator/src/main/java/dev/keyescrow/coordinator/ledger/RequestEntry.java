package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.policy.QuorumTally;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.CanonicalRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A request as the ledger keeps it: the signed request, its tally and answers, its releases
 * and shreds, its state history. Mutable, owned by {@link RequestRules}; {@link ShareRules}
 * adds the releases and shreds.
 */
final class RequestEntry {
    final CanonicalRequest request;
    final String canonical;
    final byte[] signature;
    /** The sealed-key store's id of the request's ephemeral key, or null for a record with the envelope inline. */
    final String sealedKey;
    final byte[] ephemeralEnvelope;
    final List<Transition> history = new ArrayList<>();
    final Map<Integer, String> releases = new TreeMap<>();
    final List<BadRelease> badReleases = new ArrayList<>();
    final Set<String> shreddedNodes = new TreeSet<>();
    final Set<String> deniers = new TreeSet<>();
    /** Every answer counted, as journaled, with the node that published it (for the audit). */
    final List<AuditSignatures.Answer> answers = new ArrayList<>();
    final List<CoordinatorEvent.ShredVerified> shreds = new ArrayList<>();
    List<byte[]> signatures = List.of();
    QuorumTally tally;
    RequestState state = RequestState.PENDING;

    RequestEntry(CanonicalRequest request, String canonical, byte[] signature, String sealedKey,
            byte[] ephemeralEnvelope, QuorumTally tally) {
        this.request = request;
        this.canonical = canonical;
        this.signature = signature;
        this.sealedKey = sealedKey;
        this.ephemeralEnvelope = ephemeralEnvelope;
        this.tally = tally;
    }

    /**
     * Whether the request still waits for its quorum or its releases: only then does its TTL
     * end it. An ACTIVE session runs on its own, approved time budget.
     */
    boolean awaitsQuorum() {
        return state == RequestState.PENDING || state == RequestState.APPROVED;
    }
}
