package dev.keyescrow.core.request;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.format.Rfc3339;
import dev.keyescrow.core.signature.EcdsaP256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A request as the coordinator signs it and custodians approve it ({@code docs/spec/request.md}).
 * Its digest is SHA-256 of its canonical JSON; the coordinator's signature and every
 * approval cover that digest, so a node checks exactly what a custodian saw.
 *
 * <p>Public values only: the ephemeral key is the coordinator's public half.
 */
public record CanonicalRequest(String requestId, Operation operation, String keyId, int version,
                               RequestParams params, String requester, String reason, Instant createdAt,
                               Instant expiresAt, byte[] nonce, byte[] ephemeralPublicKey) {
    public static final String FORMAT = "keyescrow-request-v1";
    public static final int NONCE_LENGTH = 16;
    public static final int MAX_REASON_LENGTH = 500;
    /** TTL cap: at most 24 hours. */
    public static final Duration MAX_TTL = Duration.ofHours(24);
    private static final Set<String> FIELDS = Set.of("format", "requestId", "operation", "keyId", "version", "params",
            "requester", "reason", "createdAt", "expiresAt", "nonce", "ephemeralPublicKey");

    public CanonicalRequest {
        Identifiers.require(requestId, "request id");
        Objects.requireNonNull(operation, "operation");
        Identifiers.require(keyId, "key id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
        Objects.requireNonNull(params, "params");
        if (!params.fits(operation)) {
            throw new IllegalArgumentException("params " + params.getClass().getSimpleName() + " do not fit " + operation);
        }
        Identifiers.require(requester, "requester");
        Objects.requireNonNull(reason, "reason");
        if (reason.isEmpty() || reason.length() > MAX_REASON_LENGTH || reason.chars().anyMatch(c -> c < 0x20)) {
            throw new IllegalArgumentException("reason must be 1 to " + MAX_REASON_LENGTH
                    + " characters without control characters");
        }
        createdAt = Objects.requireNonNull(createdAt, "createdAt").truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        expiresAt = Objects.requireNonNull(expiresAt, "expiresAt").truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (!expiresAt.isAfter(createdAt) || Duration.between(createdAt, expiresAt).compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("expiresAt must be after createdAt and at most 24 h later");
        }
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be " + NONCE_LENGTH + " bytes");
        }
        nonce = nonce.clone();
        Objects.requireNonNull(ephemeralPublicKey, "ephemeralPublicKey");
        if (ephemeralPublicKey.length != EcdsaP256.PUBLIC_KEY_LENGTH || ephemeralPublicKey[0] != 0x04) {
            throw new IllegalArgumentException("ephemeralPublicKey must be a 65-byte uncompressed P-256 point");
        }
        ephemeralPublicKey = ephemeralPublicKey.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ephemeralPublicKey() {
        return ephemeralPublicKey.clone();
    }

    /** The canonical JSON bytes whose SHA-256 is {@link #digest()}. */
    public byte[] canonicalJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("operation", operation.name());
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("params", params.toJson());
        m.put("requester", requester);
        m.put("reason", reason);
        m.put("createdAt", Rfc3339.format(createdAt));
        m.put("expiresAt", Rfc3339.format(expiresAt));
        m.put("nonce", Base64.getEncoder().encodeToString(nonce));
        m.put("ephemeralPublicKey", Base64.getEncoder().encodeToString(ephemeralPublicKey));
        return CanonicalJson.toBytes(m);
    }

    /** SHA-256 of the canonical JSON, lowercase hex. */
    public String digest() {
        return sha256Hex(canonicalJson());
    }

    /** Whether the request has expired at {@code now} (expiry is exclusive: at expiresAt it is over). */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /**
     * Reads a canonical request, strictly: exact canonical bytes, known format version, no
     * unknown or missing field, every field valid.
     */
    public static CanonicalRequest parse(byte[] canonical) throws FormatException {
        JsonFields f = new JsonFields("request", CanonicalJsonParser.parseObject(canonical));
        f.requireExactly(FIELDS);
        if (!FORMAT.equals(f.string("format"))) {
            throw new FormatException("request: unknown format \"" + f.string("format") + "\", expected " + FORMAT);
        }
        Operation operation;
        try {
            operation = Operation.valueOf(f.string("operation"));
        } catch (IllegalArgumentException e) {
            throw new FormatException("request: unknown operation");
        }
        RequestParams params = RequestParams.parse(operation, f.object("params"));
        try {
            return new CanonicalRequest(f.identifier("requestId"), operation, f.identifier("keyId"),
                    (int) f.integer("version", 1, Integer.MAX_VALUE), params, f.identifier("requester"),
                    f.string("reason"), Rfc3339.parse(f.string("createdAt")), Rfc3339.parse(f.string("expiresAt")),
                    f.base64("nonce", NONCE_LENGTH), f.base64("ephemeralPublicKey", EcdsaP256.PUBLIC_KEY_LENGTH));
        } catch (IllegalArgumentException e) {
            throw new FormatException("request: " + e.getMessage());
        }
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalRequest r && Arrays.equals(r.canonicalJson(), canonicalJson());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(canonicalJson());
    }

    @Override
    public String toString() {
        return "CanonicalRequest[" + requestId + " " + operation + " " + keyId + " v" + version + "]";
    }
}
