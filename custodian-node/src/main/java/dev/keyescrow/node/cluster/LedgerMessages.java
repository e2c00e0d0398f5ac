package dev.keyescrow.node.cluster;

import com.hazelcast.map.IMap;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.wire.AnswerMessage;
import dev.keyescrow.core.wire.CancelMessage;
import dev.keyescrow.core.wire.ClusterMaps;
import dev.keyescrow.core.wire.ImportMessage;
import dev.keyescrow.core.wire.ImportReceiptMessage;
import dev.keyescrow.core.wire.ManifestMessage;
import dev.keyescrow.core.wire.RollbackMessage;
import dev.keyescrow.core.wire.SignedRequestMessage;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.NodeRefusedException;
import dev.keyescrow.node.vault.NodeVault;
import dev.keyescrow.server.cluster.ClusterLimits;
import dev.keyescrow.server.cluster.ReceivedEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The messages that become this node's journaled events: manifests with their
 * countersignatures, requests, answers given at other nodes and cancels go through
 * {@link NodeService#submit}, which verifies the coordinator's and custodians' signatures, so
 * a rogue member can publish garbage but never make it count; share imports and ceremony
 * rollbacks go to the vault, which journals them and answers with a receipt. After each
 * change the node acts on whatever its own count made due.
 */
final class LedgerMessages {
    private final NodeService service;
    private final NodeVault vault;
    private final NodeMaps maps;
    private final NodePublisher publisher;
    private final Refusals refusals;

    LedgerMessages(NodeService service, NodeVault vault, NodeMaps maps, NodePublisher publisher, Refusals refusals) {
        this.service = service;
        this.vault = vault;
        this.maps = maps;
        this.publisher = publisher;
        this.refusals = refusals;
    }

    void onManifest(byte[] value) {
        try {
            ManifestMessage message = ManifestMessage.decode(value);
            submit(new NodeEvent.ManifestAdmitted(message.canonical(), message.coordinatorSignature()));
            Manifest manifest = Manifest.parse(message.canonical().getBytes(StandardCharsets.UTF_8));
            for (var entry : message.countersignatures().entrySet()) {
                submit(new NodeEvent.Countersigned(manifest.keyId(), manifest.version(), entry.getKey(),
                        entry.getValue()));
            }
            // a newly pinned version may be the successor an approved REFRESH or RESHARE waits for
            publisher.actOnDueWork();
        } catch (FormatException | NodeRefusedException e) {
            refusals.refuse("manifest", e);
        }
    }

    void onRequest(byte[] value) {
        try {
            SignedRequestMessage message = SignedRequestMessage.decode(value);
            NodeEvent.RequestAdmitted admitted = new NodeEvent.RequestAdmitted(message.canonical(),
                    message.coordinatorSignature());
            if (submit(admitted)) {
                catchUpAnswers(service.requestIdOf(admitted));
            }
            publisher.actOnDueWork();
        } catch (FormatException | NodeRefusedException e) {
            refusals.refuse("request", e);
        }
    }

    /**
     * The maps deliver independently, so an answer given at another node can arrive before
     * the request it answers; it was refused then ("no request"). Reading the request's answers
     * right after admitting it closes that gap: an answer written before this read is found
     * here, and one written after it arrives as an event behind this task.
     */
    private void catchUpAnswers(String requestId) throws NodeRefusedException {
        Set<String> keys = new HashSet<>();
        for (String custodian : service.custodiansOf(requestId)) {
            keys.add(requestId + "/" + custodian);
        }
        // one key at a time, as objects: a rogue member may have written anything under any of them
        IMap<String, Object> raw = rawAnswers();
        for (String key : keys) {
            try {
                Object value = raw.get(key);
                if (value == null) {
                    continue;
                }
                if (value instanceof byte[] bytes && bytes.length <= ClusterLimits.MAX_MESSAGE_BYTES) {
                    onAnswer(bytes);
                } else {
                    refusals.refuseUnread(ClusterMaps.ANSWERS, ReceivedEntry.Refusal.NOT_BYTES);
                }
            } catch (RuntimeException e) {
                refusals.refuse("answer " + key, e);
            }
        }
    }

    /** An answer given at another node (this node's own were journaled when given). */
    void onAnswer(byte[] value) {
        try {
            AnswerMessage message = AnswerMessage.decode(value);
            if (message.nodeId().equals(service.nodeId())) {
                return;
            }
            submit(new NodeEvent.AnswerAccepted(message.approval(), false));
            publisher.actOnDueWork();
        } catch (FormatException | NodeRefusedException e) {
            refusals.refuse("answer", e);
        }
    }

    void onCancel(byte[] value) {
        try {
            CancelMessage message = CancelMessage.decode(value);
            submit(new NodeEvent.RequestCancelled(message.requestId(), message.coordinatorSignature()));
        } catch (FormatException | NodeRefusedException e) {
            refusals.refuse("cancel", e);
        }
    }

    /** A share import for this node: the vault stores it and signs the receipt published here. */
    void onImport(byte[] value) {
        try {
            ImportMessage message = ImportMessage.decode(value);
            if (!message.nodeId().equals(service.nodeId())) {
                return;
            }
            ImportReceiptMessage receipt = vault.importShare(message);
            maps.receipts.set(receipt.key(), receipt.encode());
        } catch (IOException | KeyEscrowException e) {
            refusals.refuse("import", e);
        }
    }

    /**
     * A rollback the coordinator signed: the vault verifies it, refuses it for a committed
     * version, shreds the version's shares and returns the token's receipt, published here.
     */
    void onRollback(byte[] value) {
        try {
            RollbackMessage message = RollbackMessage.decode(value);
            publisher.rollbackReceipt(vault.rollBack(message));
        } catch (IOException | KeyEscrowException e) {
            refusals.refuse("rollback", e);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private IMap<String, Object> rawAnswers() {
        return (IMap) maps.answers;
    }

    /** @return whether the event changed the node (false for a repeat or a failed write) */
    private boolean submit(NodeEvent event) throws NodeRefusedException {
        try {
            return service.submit(event);
        } catch (IOException | KeyEscrowException e) {
            if (e instanceof NodeRefusedException r) {
                throw r;
            }
            // not durable, so not accepted: the message stays in the map and is retried at the next start
            refusals.refuse("journal", e);
            return false;
        }
    }
}
