package dev.keyescrow.node.approval;

import dev.keyescrow.core.request.Approval;
import java.util.Base64;
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

    /** This node holds share {@code index} of the key version (its blob is in the token's store). */
    record ShareHeld(String keyId, int version, int index) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "share-held");
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("index", index);
            return m;
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

    /** This node released share {@code index} for the request. */
    record ShareReleased(String requestId, int index) implements NodeEvent {
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("event", "share-released");
            m.put("requestId", requestId);
            m.put("index", index);
            return m;
        }
    }
}
