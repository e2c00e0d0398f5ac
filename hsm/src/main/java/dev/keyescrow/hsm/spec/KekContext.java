package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.hsm.ShareRef;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a transport KEK is bound to: a purpose and its context bytes
 * ({@code docs/spec/kdf.md}, table "purpose and context"). Binding the share reference
 * (and for a release, the request) means a blob made for one use fails its integrity
 * check in any other.
 */
public final class KekContext {
    private final KekPurpose purpose;
    private final byte[] context;

    private KekContext(KekPurpose purpose, byte[] context) {
        this.purpose = purpose;
        this.context = context;
    }

    /** {@code keyId || 0x00 || uint32be(version) || uint8(index) || uint32be(length)}. */
    public static KekContext forImport(ShareRef ref) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeShare(ref, out);
        return new KekContext(KekPurpose.IMPORT, out.toByteArray());
    }

    /** {@code requestId || 0x00 || requestDigest || <share as for import>}. */
    public static KekContext forRelease(String requestId, byte[] requestDigest, ShareRef ref) {
        return new KekContext(KekPurpose.RELEASE, releaseContext(requestId, requestDigest, ref));
    }

    /**
     * The context of a release, under the purpose {@code export-release}: the same bytes as
     * {@link #forRelease}, but the label differs, so an export release never opens as an
     * ordinary release (nor the reverse) even between the same two keys.
     */
    public static KekContext forExportRelease(String requestId, byte[] requestDigest, ShareRef ref) {
        return new KekContext(KekPurpose.EXPORT_RELEASE, releaseContext(requestId, requestDigest, ref));
    }

    /**
     * The context of a FROST share opened for one SIGN request's round, under the purpose
     * {@code frost-sign}: the same bytes as {@link #forRelease}, its own label.
     */
    public static KekContext forFrostSign(String requestId, byte[] requestDigest, ShareRef ref) {
        return new KekContext(KekPurpose.FROST_SIGN, releaseContext(requestId, requestDigest, ref));
    }

    private static byte[] releaseContext(String requestId, byte[] requestDigest, ShareRef ref) {
        Identifiers.require(requestId, "requestId");
        if (Objects.requireNonNull(requestDigest, "requestDigest").length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(requestId.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(requestDigest);
        writeShare(ref, out);
        return out.toByteArray();
    }

    /**
     * {@code keyId || 0x00 || algorithm (ASCII wire name) || 0x00 || uint32be(length)}: a key
     * brought in by {@code escrow key import}, bound to the key id it will have and its algorithm.
     */
    public static KekContext forKeyImport(String keyId, KeyAlgorithm algorithm, int length) {
        Identifiers.require(keyId, "keyId");
        Objects.requireNonNull(algorithm, "algorithm");
        if (length < 1 || length > ShareRef.MAX_LENGTH) {
            throw new IllegalArgumentException("key length out of range");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(keyId.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.writeBytes(algorithm.wireName().getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        writeUint32(length, out);
        return new KekContext(KekPurpose.KEY_IMPORT, out.toByteArray());
    }

    /**
     * {@code ceremonyId || 0x00 || uint8(sender) || <recipient's share as for import>}: a DKG
     * round-two share from participant {@code sender} to participant {@code recipient.index()}.
     */
    public static KekContext forDkgShare(String ceremonyId, int sender, ShareRef recipient) {
        Identifiers.require(ceremonyId, "ceremonyId");
        if (sender < 1 || sender > 255 || sender == recipient.index()) {
            throw new IllegalArgumentException("the sender is another participant, 1..255");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ceremonyId.getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        out.write(sender);
        writeShare(recipient, out);
        return new KekContext(KekPurpose.DKG_SHARE, out.toByteArray());
    }

    private static void writeShare(ShareRef ref, ByteArrayOutputStream out) {
        out.writeBytes(ref.keyId().getBytes(StandardCharsets.US_ASCII));
        out.write(0);
        writeUint32(ref.version(), out);
        out.write(ref.index());
        writeUint32(ref.length(), out);
    }

    private static void writeUint32(int value, ByteArrayOutputStream out) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    public KekPurpose purpose() {
        return purpose;
    }

    public byte[] context() {
        return context.clone();
    }
}
