package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change of the coordinator's state, as journaled ({@link CoordinatorEvents} encodes it as
 * canonical JSON). Public values only: signatures, digests, canonical texts, and the
 * request's ephemeral private key only as an envelope that opens in the coordinator's token.
 * Byte arrays are not copied: events are built, encoded and applied by one owner.
 */
public sealed interface CoordinatorEvent {
    /** The event's members (without {@code event}, which {@link CoordinatorEvents} adds). */
    Map<String, Object> toJson();

    /** The type name under {@code event}. */
    String type();

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** A custodian registered with its Ed25519 key and the node that will hold its shares. */
    record CustodianRegistered(String custodianId, byte[] publicKey, String nodeId) implements CoordinatorEvent {
        @Override
        public String type() {
            return "custodian-registered";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("custodianId", custodianId);
            m.put("publicKey", b64(publicKey));
            m.put("nodeId", nodeId);
            return m;
        }
    }

    /**
     * A custodian id retired by an operator, with the operator's reason: it holds no share of a
     * live key version, and may never hold one again nor be counted ({@code enrolment.Retirement}).
     */
    record CustodianRetired(String custodianId, String operator, String reason) implements CoordinatorEvent {
        @Override
        public String type() {
            return "custodian-retired";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("custodianId", custodianId);
            m.put("operator", operator);
            m.put("reason", reason);
            return m;
        }
    }

    /**
     * A ceremony began staging shares for this (still unsigned) manifest. Until
     * {@link VersionCreated} the version is not usable; on restart an unfinished ceremony
     * is rolled back ({@link CeremonyFailed}).
     */
    record CeremonyStarted(String manifest, byte[] publicKey) implements CoordinatorEvent {
        @Override
        public String type() {
            return "ceremony-started";
        }

        /** {@code publicKey}: the asymmetric key's public half (empty for AES), so users can verify signatures. */
        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("manifest", manifest);
            m.put("publicKey", b64(publicKey));
            return m;
        }
    }

    /** A node's import receipt for one share, verified under its pinned identity key. */
    record ReceiptVerified(String keyId, int version, int index, int length, String nodeId, String envelopeDigest,
                           String storedBlobDigest, byte[] signature) implements CoordinatorEvent {
        @Override
        public String type() {
            return "receipt-verified";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("index", index);
            m.put("length", length);
            m.put("nodeId", nodeId);
            m.put("envelopeDigest", envelopeDigest);
            m.put("storedBlobDigest", storedBlobDigest);
            m.put("signature", b64(signature));
            return m;
        }
    }

    /** A ceremony that did not commit: the version never becomes usable. */
    record CeremonyFailed(String keyId, int version, String reason) implements CoordinatorEvent {
        @Override
        public String type() {
            return "ceremony-failed";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("reason", reason);
            return m;
        }
    }

    /** Every share was received: the coordinator signed the staged manifest (PRE_ACTIVE). */
    record VersionCreated(String keyId, int version, byte[] coordinatorSignature) implements CoordinatorEvent {
        @Override
        public String type() {
            return "version-created";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("coordinatorSignature", b64(coordinatorSignature));
            return m;
        }
    }

    /** A custodian's verified countersignature of the version's manifest. */
    record Countersigned(String keyId, int version, String custodianId, byte[] signature) implements CoordinatorEvent {
        @Override
        public String type() {
            return "countersigned";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("custodianId", custodianId);
            m.put("signature", b64(signature));
            return m;
        }
    }

    /** A key version's state transition, with its reason (the record carries the time). */
    record VersionStateChanged(String keyId, int version, KeyState state, String reason) implements CoordinatorEvent {
        @Override
        public String type() {
            return "version-state";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            m.put("state", state.name());
            m.put("reason", reason);
            return m;
        }
    }

    /**
     * A signed request. The request's ephemeral private key, sealed under the coordinator
     * token's seal key ({@code quorum.EphemeralKeyVault}), is kept out of the journal so that
     * it can be destroyed: {@code sealedKey} names it in the sealed-key store
     * ({@code quorum.SealedKeyStore}) by the SHA-256 of the sealed bytes. Records written
     * before that store existed carry an envelope in {@code ephemeralEnvelope}; they are still
     * read, but such envelopes (sealed as import envelopes by an earlier version) are no
     * longer opened. Exactly one of the two is present.
     */
    record RequestCreated(String canonical, byte[] coordinatorSignature, String sealedKey, byte[] ephemeralEnvelope)
            implements CoordinatorEvent {
        public RequestCreated {
            if ((sealedKey == null) == (ephemeralEnvelope == null)) {
                throw new IllegalArgumentException("a request record names its sealed key or carries its envelope,"
                        + " exactly one of the two");
            }
            if (sealedKey != null && !sealedKey.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("sealedKey must be 64 lowercase hex digits");
            }
        }

        @Override
        public String type() {
            return "request-created";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("canonical", canonical);
            m.put("coordinatorSignature", b64(coordinatorSignature));
            if (sealedKey != null) {
                m.put("sealedKey", sealedKey);
            } else {
                m.put("ephemeralEnvelope", b64(ephemeralEnvelope));
            }
            return m;
        }
    }

    /** A custodian's answer, learned from the cluster and verified against the manifest. */
    record AnswerCounted(String nodeId, Approval approval) implements CoordinatorEvent {
        @Override
        public String type() {
            return "answer-counted";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nodeId", nodeId);
            m.put("requestId", approval.requestId());
            m.put("requestDigest", approval.requestDigest());
            m.put("custodianId", approval.custodianId());
            m.put("decision", approval.decision().name());
            m.put("signature", b64(approval.signature()));
            return m;
        }
    }

    /** A release that verified, opened and matched its commitment (the share itself is never journaled). */
    record ReleaseAccepted(String requestId, int index, String nodeId, String wrappedDigest)
            implements CoordinatorEvent {
        @Override
        public String type() {
            return "release-accepted";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("index", index);
            m.put("nodeId", nodeId);
            m.put("wrappedDigest", wrappedDigest);
            return m;
        }
    }

    /**
     * A SIGN request's aggregated signatures (RFC 8032, 64 bytes each, in message order), each
     * verified under the key's group public key before it is journaled.
     */
    record SignaturesMade(String requestId, List<byte[]> signatures) implements CoordinatorEvent {
        public SignaturesMade {
            signatures = signatures.stream().map(byte[]::clone).toList();
        }

        @Override
        public List<byte[]> signatures() {
            return signatures.stream().map(byte[]::clone).toList();
        }

        @Override
        public String type() {
            return "signatures-made";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            List<Object> list = new java.util.ArrayList<>();
            signatures.forEach(s -> list.add(java.util.Base64.getEncoder().encodeToString(s)));
            m.put("signatures", list);
            return m;
        }
    }

    /** A release that was refused, named by share index and node, with the problem. */
    record ReleaseRefused(String requestId, int index, String nodeId, String problem) implements CoordinatorEvent {
        @Override
        public String type() {
            return "release-refused";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("index", index);
            m.put("nodeId", nodeId);
            m.put("problem", problem);
            return m;
        }
    }

    /** A request's state transition, with its reason. */
    record RequestStateChanged(String requestId, RequestState state, String reason) implements CoordinatorEvent {
        @Override
        public String type() {
            return "request-state";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("state", state.name());
            m.put("reason", reason);
            return m;
        }
    }

    /** A node's verified shred receipt for a request: these shares are unrecoverable. */
    record ShredVerified(String requestId, String nodeId, long epoch, List<String> destroyed, byte[] signature)
            implements CoordinatorEvent {
        @Override
        public String type() {
            return "shred-verified";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("requestId", requestId);
            m.put("nodeId", nodeId);
            m.put("epoch", epoch);
            m.put("destroyed", new ArrayList<Object>(destroyed));
            m.put("signature", b64(signature));
            return m;
        }
    }

    /**
     * A node's verified receipt for the rollback of the ceremony of {@code keyId} v{@code version}
     * whose unsigned manifest has {@code manifestDigest}: the node's signed rollback receipt
     * statement ({@code keyescrow-rollback-receipt-v1}) over the ceremony, the epoch of the rotation
     * that destroyed whatever it had imported of that version (possibly nothing) and those shares.
     * Journals written before that statement existed hold the old form, without
     * {@code manifestDigest} (null here), whose signature is the token's shred statement: it is
     * replayed as it was journaled, never accepted again ({@link #legacy()}).
     */
    record RollbackReceiptVerified(String keyId, int version, String manifestDigest, String nodeId, long epoch,
            List<String> destroyed, byte[] signature) implements CoordinatorEvent {
        public RollbackReceiptVerified {
            if (manifestDigest != null && !manifestDigest.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("manifest digest must be 64 lowercase hex digits");
            }
            destroyed = List.copyOf(destroyed);
        }

        /** Whether this is the old form: a shred statement that does not name the rollback. */
        public boolean legacy() {
            return manifestDigest == null;
        }

        @Override
        public String type() {
            return "rollback-receipt-verified";
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("keyId", keyId);
            m.put("version", version);
            if (manifestDigest != null) {
                m.put("manifestDigest", manifestDigest);
            }
            m.put("nodeId", nodeId);
            m.put("epoch", epoch);
            m.put("destroyed", new ArrayList<Object>(destroyed));
            m.put("signature", b64(signature));
            return m;
        }
    }
}
