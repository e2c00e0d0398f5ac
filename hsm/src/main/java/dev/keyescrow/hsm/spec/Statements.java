package dev.keyescrow.hsm.spec;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.hsm.ShareRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The exact bytes a token signs ({@code docs/spec/import-release.md}): domain-separated
 * UTF-8 lines joined by {@code \n}, no trailing newline. Every field is an identifier,
 * a decimal integer or lowercase hex, so no field can contain the separator.
 */
public final class Statements {
    public static final String IMPORT_RECEIPT = "keyescrow-import-receipt-v1";
    public static final String RELEASE = "keyescrow-release-v1";
    public static final String SHRED_RECEIPT = "keyescrow-shred-receipt-v1";
    public static final String ROLLBACK_RECEIPT = "keyescrow-rollback-receipt-v1";
    public static final String EXPORT_RELEASE = "keyescrow-export-release-v1";
    public static final String FROST_SHARE_OPENED = "keyescrow-frost-share-opened-v1";

    /** Order of shares in a shred receipt: key id, then version, then index. */
    public static final Comparator<ShareRef> SHARE_ORDER = Comparator.comparing(ShareRef::keyId)
            .thenComparingInt(ShareRef::version).thenComparingInt(ShareRef::index);

    private Statements() {
    }

    /** Receipt of an import: the node holds the share whose envelope hashes to the given digest. */
    public static byte[] importReceipt(String nodeId, ShareRef ref, byte[] envelope, byte[] storedBlob) {
        return lines(IMPORT_RECEIPT, Identifiers.require(nodeId, "nodeId"), ref.keyId(),
                Integer.toString(ref.version()), Integer.toString(ref.index()), Integer.toString(ref.length()),
                hex(sha256(envelope)), hex(sha256(storedBlob)));
    }

    /** Release statement: this wrapped value was made for this request, by this node, of this share. */
    public static byte[] release(String requestId, byte[] requestDigest, String nodeId, ShareRef ref, byte[] wrapped) {
        if (requestDigest.length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        return lines(RELEASE, Identifiers.require(requestId, "requestId"), hex(requestDigest),
                Identifiers.require(nodeId, "nodeId"), ref.keyId(), Integer.toString(ref.version()),
                Integer.toString(ref.index()), Integer.toString(ref.length()), hex(sha256(wrapped)));
    }

    /**
     * Export release statement: this wrapped value was made for this EXPORT request, by this
     * node, of this share of the key version whose manifest has this digest, to this recipient
     * key, from this node's transport key. A recipient who pins the node's identity key learns
     * from it everything it needs to open and check the share without trusting whoever relayed it.
     */
    public static byte[] exportRelease(String requestId, byte[] requestDigest, String nodeId, ShareRef ref,
            String manifestDigest, byte[] recipientPublicKey, byte[] transportPublicKey, byte[] wrapped) {
        if (requestDigest.length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        if (!manifestDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifestDigest must be 64 lowercase hex digits");
        }
        if (recipientPublicKey.length != P256.PUBLIC_KEY_LENGTH || transportPublicKey.length != P256.PUBLIC_KEY_LENGTH) {
            throw new IllegalArgumentException("public keys must be 65-byte uncompressed points");
        }
        return lines(EXPORT_RELEASE, Identifiers.require(requestId, "requestId"), hex(requestDigest),
                Identifiers.require(nodeId, "nodeId"), ref.keyId(), Integer.toString(ref.version()),
                Integer.toString(ref.index()), Integer.toString(ref.length()), manifestDigest,
                hex(recipientPublicKey), hex(transportPublicKey), hex(sha256(wrapped)));
    }

    /**
     * What the token signs when it wraps a FROST share to the node's own process for a signing
     * round: its own first line, so it can never pass as a release to anyone.
     */
    public static byte[] frostShareOpened(String requestId, byte[] requestDigest, String nodeId, ShareRef ref,
            byte[] wrapped) {
        if (requestDigest.length != 32) {
            throw new IllegalArgumentException("requestDigest must be 32 bytes (SHA-256)");
        }
        return lines(FROST_SHARE_OPENED, Identifiers.require(requestId, "requestId"), hex(requestDigest),
                Identifiers.require(nodeId, "nodeId"), ref.keyId(), Integer.toString(ref.version()),
                Integer.toString(ref.index()), Integer.toString(ref.length()), hex(sha256(wrapped)));
    }

    /** Shred receipt: these shares are unrecoverable; surviving ones now live under {@code epoch}. */
    public static byte[] shredReceipt(String nodeId, long epoch, List<ShareRef> destroyed) {
        List<ShareRef> sorted = new ArrayList<>(destroyed);
        sorted.sort(SHARE_ORDER);
        List<String> lines = new ArrayList<>();
        lines.add(SHRED_RECEIPT);
        lines.add(Identifiers.require(nodeId, "nodeId"));
        lines.add(Long.toString(epoch));
        lines.add(Integer.toString(sorted.size()));
        for (ShareRef ref : sorted) {
            lines.add(ref.keyId() + " " + ref.version() + " " + ref.index());
        }
        return lines(lines.toArray(String[]::new));
    }

    /**
     * Rollback receipt: this node crypto-shredded, by the epoch rotation to {@code epoch}, these
     * shares of the ceremony of {@code keyId} v{@code version} whose unsigned manifest has
     * {@code manifestDigest} (the rollback the coordinator signed). Its own first line, so a shred
     * receipt never passes as a rollback receipt, nor this one as a shred receipt.
     */
    public static byte[] rollbackReceipt(String nodeId, String keyId, int version, String manifestDigest, long epoch,
            List<ShareRef> destroyed) {
        if (manifestDigest == null || !manifestDigest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifestDigest must be 64 lowercase hex digits");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1");
        }
        List<ShareRef> sorted = new ArrayList<>(destroyed);
        sorted.sort(SHARE_ORDER);
        List<String> lines = new ArrayList<>();
        lines.add(ROLLBACK_RECEIPT);
        lines.add(Identifiers.require(nodeId, "nodeId"));
        lines.add(Identifiers.require(keyId, "keyId"));
        lines.add(Integer.toString(version));
        lines.add(manifestDigest);
        lines.add(Long.toString(epoch));
        lines.add(Integer.toString(sorted.size()));
        for (ShareRef ref : sorted) {
            lines.add(ref.keyId() + " " + ref.version() + " " + ref.index());
        }
        return lines(lines.toArray(String[]::new));
    }

    private static byte[] lines(String... fields) {
        return String.join("\n", fields).getBytes(StandardCharsets.UTF_8);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** SHA-256, as used in statements. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }
}
