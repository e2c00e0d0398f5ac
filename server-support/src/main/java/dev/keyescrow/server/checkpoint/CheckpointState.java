package dev.keyescrow.server.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The state field of a server's checkpoint: which ledger it is ({@code node} or
 * {@code coordinator}) and the digest of that ledger's state after the checkpointed record.
 * The checkpoint references the journal rather than copying the ledger: a start replays the
 * records the checkpoint covers without their signature checks (the checkpoint's signature
 * vouches for their hash chain) and compares the rebuilt ledger's digest with this one.
 *
 * <p>Encoding: {@value #LABEL} (its own label, so the bytes mean this and nothing else)
 * followed by the ledger name as a u8 length and ASCII, then the 32-byte digest. Nothing else;
 * trailing bytes are refused.
 */
public final class CheckpointState {
    public static final String LABEL = "keyescrow-checkpoint-state-v1\n";
    private static final byte[] LABEL_BYTES = LABEL.getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST = 32;

    private final String ledger;
    private final byte[] digest;

    public CheckpointState(String ledger, byte[] digest) {
        Objects.requireNonNull(ledger, "ledger");
        if (!ledger.matches("[a-z]{1,32}")) {
            throw new IllegalArgumentException("a ledger name is 1 to 32 lower-case letters");
        }
        if (digest == null || digest.length != DIGEST) {
            throw new IllegalArgumentException("a state digest is 32 bytes");
        }
        this.ledger = ledger;
        this.digest = digest.clone();
    }

    public String ledger() {
        return ledger;
    }

    public byte[] digest() {
        return digest.clone();
    }

    public String digestHex() {
        return HexFormat.of().formatHex(digest);
    }

    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL_BYTES);
        out.write(ledger.length());
        out.writeBytes(ledger.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(digest);
        return out.toByteArray();
    }

    /** @throws IllegalArgumentException naming what is wrong with {@code bytes} */
    public static CheckpointState decode(byte[] bytes) {
        if (bytes.length < LABEL_BYTES.length + 1
                || !Arrays.equals(Arrays.copyOf(bytes, LABEL_BYTES.length), LABEL_BYTES)) {
            throw new IllegalArgumentException("the checkpoint's state is not a " + LABEL.strip());
        }
        int n = bytes[LABEL_BYTES.length] & 0xff;
        int at = LABEL_BYTES.length + 1;
        if (bytes.length != at + n + DIGEST) {
            throw new IllegalArgumentException("the checkpoint's state has " + bytes.length + " bytes, not "
                    + (at + n + DIGEST));
        }
        String ledger = new String(bytes, at, n, StandardCharsets.US_ASCII);
        return new CheckpointState(ledger, Arrays.copyOfRange(bytes, at + n, bytes.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CheckpointState other && ledger.equals(other.ledger)
                && java.security.MessageDigest.isEqual(digest, other.digest);
    }

    @Override
    public int hashCode() {
        return ledger.hashCode();
    }

    @Override
    public String toString() {
        return "CheckpointState[" + ledger + " " + digestHex() + "]";
    }
}
