package dev.keyescrow.core.request;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The operation-specific part of a request, {@code params} in its canonical JSON. */
public sealed interface RequestParams {
    /** Members of {@code params} in canonical JSON. */
    Map<String, Object> toJson();

    /** Whether these parameters belong to {@code operation}. */
    boolean fits(Operation operation);

    /** USE: serve at most {@code maxOperations} operations for at most {@code sessionSeconds}. */
    record Use(long maxOperations, long sessionSeconds) implements RequestParams {
        public static final long MAX_OPERATIONS = 1_000_000;
        public static final long MAX_SESSION_SECONDS = 86_400;

        public Use {
            if (maxOperations < 1 || maxOperations > MAX_OPERATIONS) {
                throw new IllegalArgumentException("maxOperations " + maxOperations + " must be in [1, "
                        + MAX_OPERATIONS + "]");
            }
            if (sessionSeconds < 1 || sessionSeconds > MAX_SESSION_SECONDS) {
                throw new IllegalArgumentException("sessionSeconds " + sessionSeconds + " must be in [1, "
                        + MAX_SESSION_SECONDS + "]");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("maxOperations", maxOperations);
            m.put("sessionSeconds", sessionSeconds);
            return m;
        }

        @Override
        public boolean fits(Operation operation) {
            return operation == Operation.USE;
        }
    }

    /** EXPORT: the key wrapped to {@code recipientPublicKey} (uncompressed P-256, 65 bytes). */
    record Export(byte[] recipientPublicKey) implements RequestParams {
        public Export {
            Objects.requireNonNull(recipientPublicKey, "recipientPublicKey");
            if (recipientPublicKey.length != EcdsaP256.PUBLIC_KEY_LENGTH || recipientPublicKey[0] != 0x04) {
                throw new IllegalArgumentException("recipientPublicKey must be a 65-byte uncompressed P-256 point");
            }
            recipientPublicKey = recipientPublicKey.clone();
        }

        @Override
        public byte[] recipientPublicKey() {
            return recipientPublicKey.clone();
        }

        @Override
        public Map<String, Object> toJson() {
            return Map.of("recipientPublicKey", Base64.getEncoder().encodeToString(recipientPublicKey));
        }

        @Override
        public boolean fits(Operation operation) {
            return operation == Operation.EXPORT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Export e && Arrays.equals(e.recipientPublicKey, recipientPublicKey);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(recipientPublicKey);
        }

        @Override
        public String toString() {
            return "Export[" + Base64.getEncoder().encodeToString(recipientPublicKey) + "]";
        }
    }

    /**
     * RESHARE: the new threshold and holders — each custodian with the key to be pinned and its
     * node, so the approval covers exactly who will hold the key afterwards.
     */
    record Reshare(int threshold, List<ReshareHolder> holders) implements RequestParams {
        public Reshare {
            holders = List.copyOf(holders);
            Set<String> ids = new HashSet<>();
            Set<String> keys = new HashSet<>();
            for (ReshareHolder h : holders) {
                if (!ids.add(h.custodianId())) {
                    throw new IllegalArgumentException("custodian " + h.custodianId() + " is named twice");
                }
                if (!keys.add(Base64.getEncoder().encodeToString(h.publicKey()))) {
                    throw new IllegalArgumentException("custodian " + h.custodianId()
                            + " has the public key of another holder; one key per custodian");
                }
            }
            if (threshold < 2 || threshold > holders.size() || holders.size() > 255) {
                throw new IllegalArgumentException("threshold " + threshold + " of " + holders.size()
                        + " holders is invalid: need 2 <= threshold <= holders <= 255");
            }
        }

        /** The new custodian ids, in request order. */
        public List<String> custodianIds() {
            return holders.stream().map(ReshareHolder::custodianId).toList();
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold", threshold);
            List<Object> list = new ArrayList<>();
            holders.forEach(h -> list.add(h.toJson()));
            m.put("holders", list);
            return m;
        }

        @Override
        public boolean fits(Operation operation) {
            return operation == Operation.RESHARE;
        }
    }

    /** ROTATE, REFRESH, DESTROY, COMPROMISE: no parameters. */
    record None() implements RequestParams {
        @Override
        public Map<String, Object> toJson() {
            return Map.of();
        }

        @Override
        public boolean fits(Operation operation) {
            return switch (operation) {
                case ROTATE, REFRESH, DESTROY, COMPROMISE -> true;
                default -> false;
            };
        }
    }

    /** Reads the {@code params} object of a request of {@code operation}, strictly. */
    static RequestParams parse(Operation operation, JsonFields params) throws FormatException {
        try {
            switch (operation) {
                case USE -> {
                    params.requireExactly(Set.of("maxOperations", "sessionSeconds"));
                    return new Use(params.integer("maxOperations", 1, Use.MAX_OPERATIONS),
                            params.integer("sessionSeconds", 1, Use.MAX_SESSION_SECONDS));
                }
                case EXPORT -> {
                    params.requireExactly(Set.of("recipientPublicKey"));
                    return new Export(params.base64("recipientPublicKey", EcdsaP256.PUBLIC_KEY_LENGTH));
                }
                case RESHARE -> {
                    params.requireExactly(Set.of("threshold", "holders"));
                    List<ReshareHolder> holders = new ArrayList<>();
                    for (Object o : params.array("holders")) {
                        JsonFields h = JsonFields.element("params.holders[]", o);
                        h.requireExactly(Set.of("custodianId", "publicKey", "nodeId"));
                        holders.add(new ReshareHolder(h.identifier("custodianId"),
                                h.base64("publicKey", Ed25519.PUBLIC_KEY_LENGTH), h.identifier("nodeId")));
                    }
                    return new Reshare((int) params.integer("threshold", 2, 255), holders);
                }
                default -> {
                    params.requireExactly(Set.of());
                    return new None();
                }
            }
        } catch (IllegalArgumentException e) {
            throw new FormatException("params: " + e.getMessage());
        }
    }
}
