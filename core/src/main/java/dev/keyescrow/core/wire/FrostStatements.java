package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The exact bytes nodes sign for SIGN's two rounds ({@code docs/spec/frost.md}, "SIGN on the
 * wire"): UTF-8 lines joined by {@code \n}, the first line naming the purpose, every field an
 * identifier, a decimal integer or lowercase hex. One label per round, so a commitment
 * statement never passes as a share statement nor as any other node statement.
 */
public final class FrostStatements {
    public static final String COMMITMENT = "keyescrow-frost-commitment-v1";
    public static final String SIGNATURE_SHARE = "keyescrow-frost-signature-share-v1";
    /** Attempts of one request: a retry with another holder set is a new attempt with fresh nonces. */
    public static final int MAX_ATTEMPTS = 16;
    /** D || E: two 32-byte group elements. */
    public static final int COMMITMENT_LENGTH = 64;
    public static final int SHARE_LENGTH = 32;
    private static final HexFormat HEX = HexFormat.of();

    private FrostStatements() {
    }

    /** Round one: node {@code nodeId} committed, for share {@code index}, to these nonce commitments. */
    public static byte[] commitment(String requestId, String requestDigest, int attempt, String nodeId, int index,
            List<byte[]> commitments) {
        List<String> lines = new ArrayList<>(List.of(COMMITMENT, requestId, requestDigest, Integer.toString(attempt),
                nodeId, Integer.toString(index), Integer.toString(commitments.size())));
        for (int j = 0; j < commitments.size(); j++) {
            lines.add(j + " " + HEX.formatHex(commitments.get(j)));
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Round two: node {@code nodeId}'s signature share for message {@code j} (0-based) is
     * {@code shares[j]}, computed over the commitment list whose SHA-256 (of its RFC 9591
     * encoding) is {@code listDigests[j]}.
     */
    public static byte[] signatureShare(String requestId, String requestDigest, int attempt, String nodeId,
            int index, List<byte[]> listDigests, List<byte[]> shares) {
        if (listDigests.size() != shares.size()) {
            throw new IllegalArgumentException("one commitment list digest per share");
        }
        List<String> lines = new ArrayList<>(List.of(SIGNATURE_SHARE, requestId, requestDigest,
                Integer.toString(attempt), nodeId, Integer.toString(index), Integer.toString(shares.size())));
        for (int j = 0; j < shares.size(); j++) {
            lines.add(j + " " + HEX.formatHex(listDigests.get(j)) + " " + HEX.formatHex(shares.get(j)));
        }
        return String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    static void requireDigest(String digest) {
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("request digest must be 64 lowercase hex digits");
        }
    }

    static void requireAttempt(int attempt) {
        if (attempt < 1 || attempt > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempt must be 1 to " + MAX_ATTEMPTS);
        }
    }

    static void requireIndex(int index) {
        if (index < 1 || index > 255) {
            throw new IllegalArgumentException("index must be 1 to 255");
        }
    }

    static String requireNode(String nodeId) {
        return Identifiers.require(nodeId, "node id");
    }

    /** Copies a list of 1 to 64 values of {@code length} bytes each. */
    static List<byte[]> copy(List<byte[]> values, int length, String what) {
        Objects.requireNonNull(values, what);
        if (values.isEmpty() || values.size() > dev.keyescrow.core.request.RequestParams.Sign.MAX_MESSAGES) {
            throw new IllegalArgumentException(what + ": one per message, 1 to 64");
        }
        List<byte[]> out = new ArrayList<>();
        for (byte[] v : values) {
            if (v == null || v.length != length) {
                throw new IllegalArgumentException(what + ": each is " + length + " bytes");
            }
            out.add(v.clone());
        }
        return List.copyOf(out);
    }

    static List<byte[]> copyCommitments(List<byte[]> commitments) {
        return copy(commitments, COMMITMENT_LENGTH, "commitments");
    }

    static List<byte[]> read(JsonFields f, String name, int length) throws FormatException {
        List<byte[]> out = new ArrayList<>();
        for (Object o : f.array(name)) {
            if (!(o instanceof String text)) {
                throw new FormatException(name + ": each is a base64 string");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new FormatException(name + ": not base64");
            }
            if (bytes.length != length || !Base64.getEncoder().encodeToString(bytes).equals(text)) {
                throw new FormatException(name + ": each is canonical base64 of " + length + " bytes");
            }
            out.add(bytes);
        }
        return out;
    }

    static List<byte[]> readCommitments(JsonFields f, String name) throws FormatException {
        return read(f, name, COMMITMENT_LENGTH);
    }
}
