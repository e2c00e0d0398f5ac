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

    /**
     * SIGN: the messages the quorum signs, in order. The canonical request carries each message
     * itself (base64), so its digest - which the coordinator and every approval sign - binds each
     * message and its SHA-256, and a custodian sees exactly what will be signed.
     */
    record Sign(List<byte[]> messages) implements RequestParams {
        public static final int MAX_MESSAGES = 64;
        public static final int MAX_MESSAGE_BYTES = 64 * 1024;
        /**
         * All messages together: a signed request travels as one cluster entry (at most 256 KiB)
         * with its messages in base64, so the sum stays well below that.
         */
        public static final int MAX_TOTAL_BYTES = 128 * 1024;

        public Sign {
            Objects.requireNonNull(messages, "messages");
            if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
                throw new IllegalArgumentException("messages: between 1 and " + MAX_MESSAGES + " messages, not "
                        + messages.size());
            }
            List<byte[]> copy = new ArrayList<>();
            long total = 0;
            for (byte[] m : messages) {
                Objects.requireNonNull(m, "message");
                if (m.length > MAX_MESSAGE_BYTES) {
                    throw new IllegalArgumentException("message " + (copy.size() + 1) + " has " + m.length
                            + " bytes; at most " + MAX_MESSAGE_BYTES);
                }
                total += m.length;
                copy.add(m.clone());
            }
            if (total > MAX_TOTAL_BYTES) {
                throw new IllegalArgumentException("messages total " + total + " bytes; at most " + MAX_TOTAL_BYTES);
            }
            messages = List.copyOf(copy);
        }

        /** Copies of the messages, in request order. */
        @Override
        public List<byte[]> messages() {
            return messages.stream().map(byte[]::clone).toList();
        }

        public int count() {
            return messages.size();
        }

        /** A copy of message {@code index} (0-based). */
        public byte[] message(int index) {
            return messages.get(index).clone();
        }

        /** SHA-256 of each message, in order. */
        public List<byte[]> digests() {
            return messages.stream().map(Sign::sha256).toList();
        }

        private static byte[] sha256(byte[] m) {
            try {
                return java.security.MessageDigest.getInstance("SHA-256").digest(m);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing", e);
            }
        }

        @Override
        public Map<String, Object> toJson() {
            List<Object> list = new ArrayList<>();
            messages.forEach(m -> list.add(Base64.getEncoder().encodeToString(m)));
            return Map.of("messages", list);
        }

        @Override
        public boolean fits(Operation operation) {
            return operation == Operation.SIGN;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Sign s) || s.messages.size() != messages.size()) {
                return false;
            }
            for (int i = 0; i < messages.size(); i++) {
                if (!Arrays.equals(messages.get(i), s.messages.get(i))) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            int h = 1;
            for (byte[] m : messages) {
                h = 31 * h + Arrays.hashCode(m);
            }
            return h;
        }

        @Override
        public String toString() {
            return "Sign[" + messages.size() + " messages]";
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

    private static byte[] canonicalBase64(String text) throws FormatException {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new FormatException("params.messages[]: not base64");
        }
        if (!Base64.getEncoder().encodeToString(bytes).equals(text)) {
            throw new FormatException("params.messages[]: not canonical base64");
        }
        return bytes;
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
                case SIGN -> {
                    params.requireExactly(Set.of("messages"));
                    List<byte[]> messages = new ArrayList<>();
                    for (Object o : params.array("messages")) {
                        if (!(o instanceof String text)) {
                            throw new FormatException("params.messages[]: each message is a base64 string");
                        }
                        messages.add(canonicalBase64(text));
                    }
                    return new Sign(messages);
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
