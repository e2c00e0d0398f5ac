package dev.keyescrow.node.approval;

import dev.keyescrow.core.request.Approval;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of the node's state, as journaled. Encoded as canonical JSON members
 * ({@link #toJson}); binary values in base64, canonical texts as strings.
 */
public sealed interface NodeEvent {
    Map<String, Object> toJson();

    /** A manifest signed by the coordinator. */
    record ManifestAdmitted(String canonical, byte[] coordinatorSignature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "manifest-admitted");
            m.put("canonical", canonical);
            m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
            return m;
        }
    }

    /** A custodian's countersignature of a manifest. */
    record Countersigned(String keyId, int version, String custodianId, byte[] signature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "countersigned");
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("custodianId", custodianId);
            m.put("signature", Base64.getEncoder().encodeToString(signature));
            return m;
        }
    }

    /**
     * This node imported share {@code index} of the key version: its blob (wrapped under the
     * token's epoch KEK) is in the blob store as {@code blobId}; the token signed the import
     * receipt ({@code receiptSignature}), kept so the receipt can be published again.
     */
    record ShareHeld(String keyId, int version, int index, int length, String blobId, String envelopeDigest,
                     String storedBlobDigest, byte[] receiptSignature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "share-held");
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("index", index);
            m.put("length", length);
            m.put("blobId", blobId);
            m.put("envelopeDigest", envelopeDigest);
            m.put("storedBlobDigest", storedBlobDigest);
            m.put("receiptSignature", Base64.getEncoder().encodeToString(receiptSignature));
            return m;
        }

        /** {@code keyId/version/index}. */
        public String shareKey() {
            return keyId + "/" + version + "/" + index;
        }
    }

    /** A request signed by the coordinator. */
    record RequestAdmitted(String canonical, byte[] coordinatorSignature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "request-admitted");
            m.put("canonical", canonical);
            m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
            return m;
        }
    }

    /**
     * A verified custodian answer: {@code local} when the custodian gave it at this node (its
     * share must be here), otherwise learned from the cluster (given at the holder's node).
     */
    record AnswerAccepted(Approval approval, boolean local) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "answer-accepted");
            m.put("requestId", approval.requestId());
            m.put("requestDigest", approval.requestDigest());
            m.put("custodianId", approval.custodianId());
            m.put("decision", approval.decision().name());
            m.put("signature", Base64.getEncoder().encodeToString(approval.signature()));
            m.put("origin", local ? "local" : "cluster");
            return m;
        }
    }

    /**
     * This node released share {@code index} for the request: the wrapped bytes and the
     * token's signature over the release statement, kept so the release can be published
     * again but never made twice.
     */
    record ShareReleased(String requestId, int index, byte[] wrapped, byte[] signature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "share-released");
            m.put("requestId", requestId);
            m.put("index", index);
            m.put("wrapped", Base64.getEncoder().encodeToString(wrapped));
            m.put("signature", Base64.getEncoder().encodeToString(signature));
            return m;
        }
    }

    /**
     * The marker of a crypto-shredding rotation for {@code requestId}: every surviving share
     * has a new blob under {@code epoch} (durable in the blob store), and {@code destroyed}
     * shares are gone from this node. Journaled before the old epoch KEK is destroyed, so after
     * a crash the complete epoch is known.
     */
    record SharesRotated(String requestId, long epoch, Map<String, String> newBlobIds, List<String> destroyed)
            implements NodeEvent {
        public SharesRotated {
            newBlobIds = Collections.unmodifiableMap(new TreeMap<>(newBlobIds));
            destroyed = List.copyOf(destroyed);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "shares-rotated");
            m.put("requestId", requestId);
            m.put("epoch", epoch);
            m.put("newBlobIds", new LinkedHashMap<String, Object>(newBlobIds));
            m.put("destroyed", new ArrayList<Object>(destroyed));
            return m;
        }
    }

    /** The coordinator cancelled the request (its signature over the cancel message's digest). */
    record RequestCancelled(String requestId, byte[] coordinatorSignature) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "request-cancelled");
            m.put("requestId", requestId);
            m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
            return m;
        }
    }

    /** The token destroyed the old epoch KEK and signed the shred receipt for {@code requestId}. */
    record ShredCompleted(String requestId, long epoch, List<String> destroyed, byte[] signature)
            implements NodeEvent {
        public ShredCompleted {
            destroyed = List.copyOf(destroyed);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "shred-completed");
            m.put("requestId", requestId);
            m.put("epoch", epoch);
            m.put("destroyed", new ArrayList<Object>(destroyed));
            m.put("signature", Base64.getEncoder().encodeToString(signature));
            return m;
        }
    }

    /**
     * The coordinator rolled back the ceremony of {@code keyId} v{@code version} (signature
     * over the {@code RollbackMessage}): from here on no share of that version is imported,
     * and the ones held are crypto-shredded ({@code SharesRotated}/{@code ShredCompleted}
     * under the rollback's id).
     */
    record CeremonyRolledBack(String keyId, int version, String manifestDigest, byte[] coordinatorSignature)
            implements NodeEvent {
        public dev.keyescrow.core.wire.RollbackMessage message() {
            return new dev.keyescrow.core.wire.RollbackMessage(keyId, version, manifestDigest, coordinatorSignature);
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "ceremony-rolled-back");
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("manifestDigest", manifestDigest);
            m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
            return m;
        }
    }

    /**
     * This node signed its receipt for a rollback ({@code message}, the
     * {@code RollbackReceiptMessage} as canonical JSON) after the rollback's shred completed:
     * journaled before it is published, so the same receipt is published again after a restart.
     */
    record RollbackReceipted(String message) implements NodeEvent {
        public dev.keyescrow.core.wire.RollbackReceiptMessage receipt() {
            try {
                return dev.keyescrow.core.wire.RollbackReceiptMessage.decode(
                        message.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (dev.keyescrow.core.error.FormatException e) {
                throw new IllegalArgumentException("rollback receipt: " + e.getMessage(), e);
            }
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "rollback-receipted");
            m.put("message", message);
            return m;
        }
    }

    /**
     * SIGN round one: this node committed to nonces for one attempt of a request and share
     * ({@code message}, the signed {@code FrostCommitmentMessage} as canonical JSON). Journaled
     * before the commitment is published: its nonces count as spent from here on, and after a
     * restart (when they are gone) this node never commits again for that attempt nor signs for it.
     */
    record FrostCommitted(String message) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "frost-committed");
            m.put("message", message);
            return m;
        }
    }

    /**
     * SIGN round two: this node's signed signature shares for one attempt of a request and
     * share ({@code message}, the {@code FrostShareMessage} as canonical JSON). Journaled before
     * it is published, so it is published again after a restart, never computed twice.
     */
    record FrostSigned(String message) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "frost-signed");
            m.put("message", message);
            return m;
        }
    }
}
