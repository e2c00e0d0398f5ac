package dev.keyescrow.core.frost;

import dev.keyescrow.core.format.Identifiers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The ceremony a DKG belongs to, bound into every proof of knowledge and the transcript
 * digest so that round-one packages cannot be replayed into another key, version or
 * ceremony:
 * {@code "keyescrow/v1/frost-dkg" || 0x00 || keyId || 0x00 || uint32be(version) || uint8(t)
 * || uint8(n) || requestId}.
 */
public record DkgContext(String keyId, int version, int threshold, int participants, String requestId) {
    private static final String LABEL = "keyescrow/v1/frost-dkg";

    public DkgContext {
        Identifiers.require(keyId, "key id");
        Identifiers.require(requestId, "request id");
        if (version < 1) {
            throw new IllegalArgumentException("version starts at 1");
        }
        if (threshold < 2 || threshold > participants || participants > ParticipantId.MAX) {
            throw new IllegalArgumentException("need 2 <= t <= n <= " + ParticipantId.MAX);
        }
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(keyId.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
        out.write(threshold);
        out.write(participants);
        out.writeBytes(requestId.getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
