package dev.keyescrow.node.cluster;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.RollbackReceiptMessage;
import dev.keyescrow.core.wire.ShredReceiptMessage;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.vault.NodeVault;
import java.io.IOException;

/**
 * What this node publishes, each after it was journaled: answers given here, releases and
 * shred receipts its own count made due, SIGN commitments and signature shares, rollback
 * receipts. After a restart or a healed partition it publishes them all again, since the
 * cluster may have lost them.
 */
final class NodePublisher {
    private final NodeService service;
    private final NodeVault vault;
    private final NodeMaps maps;
    private final Refusals refusals;

    NodePublisher(NodeService service, NodeVault vault, NodeMaps maps, Refusals refusals) {
        this.service = service;
        this.vault = vault;
        this.maps = maps;
        this.refusals = refusals;
    }

    /** Publishes an answer given at this node (after it was journaled). */
    void answer(AnswerMessage answer) {
        maps.answers.set(answer.key(), answer.encode());
    }

    /**
     * After a restart: publishes again what this node journaled and the cluster may have
     * lost — its answers, receipts, releases and shred receipts — then acts on due work.
     */
    void republish() {
        for (var view : service.views(null)) {
            String requestId = view.request().requestId();
            try {
                for (var answer : service.localAnswers(requestId)) {
                    AnswerMessage message = new AnswerMessage(service.nodeId(), answer);
                    maps.answers.putIfAbsent(message.key(), message.encode());
                }
                for (var release : vault.release(requestId)) {
                    maps.releases.set(release.key(), release.encode());
                }
                for (byte[] c : service.frostMessages(requestId, false)) {
                    commitment(c);
                }
                for (byte[] m : service.frostMessages(requestId, true)) {
                    signatureShare(m);
                }
                service.shred(requestId).ifPresent(c -> {
                    ShredReceiptMessage receipt = new ShredReceiptMessage(c.requestId(), service.nodeId(), c.epoch(),
                            c.destroyed(), c.signature());
                    maps.shreds.set(receipt.key(), receipt.encode());
                });
            } catch (IOException | KeyEscrowException e) {
                refusals.refuse("republish of " + requestId, e);
            }
        }
        actOnDueWork();
    }

    /** Releases and shreds whatever this node's own count has made due, and commits for due SIGN rounds. */
    void actOnDueWork() {
        for (String requestId : service.allDueReleases().keySet()) {
            try {
                for (var release : vault.release(requestId)) {
                    maps.releases.set(release.key(), release.encode());
                }
            } catch (IOException | KeyEscrowException e) {
                refusals.refuse("release for " + requestId, e);
            }
        }
        service.dueFrostCommitments().forEach((requestId, indices) -> {
            for (int index : indices) {
                try {
                    commitment(vault.frost().commit(requestId, 1, index).encode());
                } catch (IOException | KeyEscrowException e) {
                    refusals.refuse("round one of " + requestId, e);
                }
            }
        });
        for (String requestId : service.dueShreds()) {
            try {
                ShredReceiptMessage receipt = vault.shred(requestId);
                maps.shreds.set(receipt.key(), receipt.encode());
            } catch (IOException | KeyEscrowException e) {
                refusals.refuse("shred for " + requestId, e);
            }
        }
    }

    /** Publishes a SIGN round-one commitment (encoded {@code FrostCommitmentMessage}). */
    void commitment(byte[] encoded) {
        try {
            var message = FrostCommitmentMessage.decode(encoded);
            maps.frostCommitments.set(message.key(), encoded);
        } catch (FormatException e) {
            refusals.refuse("commitment", e);
        }
    }

    /** Publishes SIGN round-two signature shares (encoded {@code FrostShareMessage}). */
    void signatureShare(byte[] encoded) {
        try {
            var message = FrostShareMessage.decode(encoded);
            maps.frostShares.set(message.key(), encoded);
        } catch (FormatException e) {
            refusals.refuse("signature share", e);
        }
    }

    void rollbackReceipt(RollbackReceiptMessage receipt) {
        maps.rollbackReceipts.set(receipt.key(), receipt.encode());
    }

    /**
     * After a restart: completes the shred of any rollback journaled before a crash, and
     * publishes every rollback receipt again (the cluster may have lost them).
     */
    void finishRollbacks() {
        try {
            for (RollbackReceiptMessage receipt : vault.finishRollbacks()) {
                rollbackReceipt(receipt);
            }
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            refusals.refuse("finishing rollbacks", e);
        }
    }
}
