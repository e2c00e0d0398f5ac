package dev.keyescrow.hsm;

import dev.keyescrow.core.format.Identifiers;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a sealed secret is bound to ({@code docs/spec/kdf.md}, "Sealing"): the request whose
 * ephemeral private key it is, by id and digest. The binding is the AES-GCM additional data
 * {@code "keyescrow-seal-v1" || 0x00 || requestId || 0x00 || requestDigest}, so a blob sealed
 * for one request does not open as another's, and nothing sealed opens under any other
 * purpose (the seal key does nothing else).
 */
public final class SealContext {
    /** Domain-separation label of the seal purpose. */
    public static final String LABEL = "keyescrow-seal-v1";

    private final String requestId;
    private final byte[] requestDigest;

    public SealContext(String requestId, byte[] requestDigest) {
        this.requestId = Identifiers.require(requestId, "requestId");
        if (Objects.requireNonNull(requestDigest, "requestDigest").length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        this.requestDigest = requestDigest.clone();
    }

    public String requestId() {
        return requestId;
    }

    public byte[] requestDigest() {
        return requestDigest.clone();
    }

    /** The GCM additional data: {@code LABEL || 0x00 || requestId || 0x00 || requestDigest}. */
    public byte[] additionalData() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(requestId.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(requestDigest);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "SealContext[" + requestId + "]";
    }
}
