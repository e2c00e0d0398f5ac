package dev.keyescrow.coordinator.enrolment;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.format.Identifiers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Operators and the SHA-256 hashes of their bearer tokens. The configuration holds only the
 * hashes, so a copy of it grants nothing. A presented token is hashed and compared with
 * every known hash in constant time (no early exit on the first match), so timing tells
 * nothing about which hash was close.
 */
public final class Operators {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    /** One configured operator. */
    public record Operator(String id, String tokenSha256) {
        public Operator {
            Identifiers.require(id, "operator id");
            if (tokenSha256 == null || !HEX64.matcher(tokenSha256).matches()) {
                throw new IllegalArgumentException("operator " + id + ": tokenSha256 must be 64 lowercase hex digits");
            }
        }

        @Override
        public String toString() {
            return "Operator[" + id + "]";
        }
    }

    private final Map<String, byte[]> hashes = new LinkedHashMap<>();

    public Operators(List<Operator> operators) {
        for (Operator operator : operators) {
            if (hashes.put(operator.id(), HexFormat.of().parseHex(operator.tokenSha256())) != null) {
                throw new IllegalArgumentException("operator " + operator.id() + " is configured twice");
            }
        }
        for (Map.Entry<String, byte[]> a : hashes.entrySet()) {
            for (Map.Entry<String, byte[]> b : hashes.entrySet()) {
                if (a.getKey().compareTo(b.getKey()) < 0 && MessageDigest.isEqual(a.getValue(), b.getValue())) {
                    throw new IllegalArgumentException("operators " + a.getKey() + " and " + b.getKey()
                            + " share one token hash");
                }
            }
        }
    }

    /** The operator whose token this is, if any. The token itself is never kept or logged. */
    public Optional<String> authenticate(String bearerToken) {
        if (bearerToken == null || bearerToken.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(bearerToken.getBytes(StandardCharsets.UTF_8));
        String match = null;
        for (Map.Entry<String, byte[]> e : hashes.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue())) {
                match = e.getKey();
            }
        }
        return Optional.ofNullable(match);
    }

    /** SHA-256 hex of a token, as the configuration holds it (for tools that write configs). */
    public static String hashOf(String bearerToken) {
        return HexFormat.of().formatHex(sha256(bearerToken.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }
}
