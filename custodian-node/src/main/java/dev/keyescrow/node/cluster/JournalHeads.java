package dev.keyescrow.node.cluster;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.journal.HeadFormat;
import dev.keyescrow.journal.HeadWitness;
import dev.keyescrow.journal.SignedHead;
import dev.keyescrow.node.approval.NodeService;
import java.io.IOException;
import java.util.Optional;

/**
 * Members witness each other's journal heads, so a truncated or rewritten journal shows: this
 * node publishes its own signed head when it moved, and records the pinned coordinator's.
 */
final class JournalHeads {
    private final NodeService service;
    private final NodeMaps maps;
    private final Refusals refusals;
    private final HeadWitness witness;
    private final byte[] coordinatorPublicKey;
    private volatile long publishedSequence;
    private volatile String coordinatorJournalId;

    /**
     * @param witness              records the coordinator's published journal heads (null: do not witness)
     * @param coordinatorPublicKey the pinned key those heads must be signed with
     */
    JournalHeads(NodeService service, NodeMaps maps, Refusals refusals, HeadWitness witness,
                 byte[] coordinatorPublicKey) {
        this.service = service;
        this.maps = maps;
        this.refusals = refusals;
        this.witness = witness;
        this.coordinatorPublicKey = coordinatorPublicKey == null ? null : coordinatorPublicKey.clone();
    }

    boolean witnessing() {
        return witness != null;
    }

    /** Publishes this node's signed head if it moved since the last one published. */
    void publish() {
        try {
            var head = service.signedHead();
            if (head.isPresent() && head.get().sequence() != publishedSequence) {
                maps.heads.set(service.nodeId(), head.get().encoded());
                publishedSequence = head.get().sequence();
            }
        } catch (KeyEscrowException | RuntimeException e) {
            refusals.refuse("publishing the journal head", e);
        }
    }

    /** A head someone published: only the pinned coordinator's counts here; other members' heads are ignored. */
    void onHead(byte[] value) {
        try {
            var head = HeadFormat.decode(value);
            var alert = witness.witness(head, coordinatorPublicKey);
            coordinatorJournalId = head.journalId();
            alert.ifPresent(a -> refusals.refuse("ALERT", new IllegalStateException(a)));
        } catch (SignatureException e) {
            // not the coordinator's head (another node's, or forged): nothing to witness
        } catch (dev.keyescrow.journal.JournalFormatException | IOException e) {
            refusals.refuse("head", e);
        }
    }

    /** The latest coordinator journal head this node witnessed. */
    Optional<SignedHead> witnessedCoordinatorHead() {
        if (witness == null) {
            return Optional.empty();
        }
        String journalId = coordinatorJournalId;
        return journalId == null ? Optional.empty() : witness.latest(journalId);
    }
}
