package dev.keyescrow.core.integrity;

import dev.keyescrow.core.error.BugException;
import dev.keyescrow.core.error.CorruptShareException;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Shamir;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.signature.Ed25519;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The manifest of one key version ({@code docs/spec/manifest.md}): key id, version,
 * algorithm, threshold, share count, the holders with their pinned custodian keys, nodes
 * and share commitments, and the KCV. Its digest is SHA-256 of its canonical JSON; every
 * custodian countersigns it with Ed25519 over the statement
 * {@code keyescrow-manifest-v1\n<keyId>\n<version>\n<digest hex>\n<custodianId>}.
 */
public record Manifest(String keyId, int version, KeyAlgorithm algorithm, int threshold, List<Holder> holders,
                       Kcv kcv, FrostPublicKeys frost) {
    public static final String FORMAT = "keyescrow-manifest-v1";
    private static final Set<String> FIELDS = Set.of("format", "keyId", "version", "algorithm", "threshold",
            "shareCount", "holders", "kcv");
    private static final Set<String> FROST_FIELDS = Set.of("format", "keyId", "version", "algorithm", "threshold",
            "shareCount", "holders", "kcv", "scheme", "groupPublicKey", "verificationShares");
    private static final Set<String> DKG_FIELDS = Set.of("format", "keyId", "version", "algorithm", "threshold",
            "shareCount", "holders", "kcv", "scheme", "groupPublicKey", "verificationShares", "dkgTranscript");
    private static final Set<String> HOLDER_FIELDS = Set.of("index", "custodianId", "publicKey", "nodeId",
            "commitment", "salt");

    public Manifest {
        Identifiers.require(keyId, "key id");
        if (version < 1) {
            throw new IllegalArgumentException("version must be positive, got " + version);
        }
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(kcv, "kcv");
        holders = List.copyOf(holders);
        int n = holders.size();
        if (n < 2 || n > 255 || threshold < 2 || threshold > n) {
            throw new IllegalArgumentException("threshold " + threshold + " of " + n
                    + " holders is invalid: need 2 <= threshold <= holders <= 255");
        }
        Set<String> custodians = new HashSet<>();
        // one key, one custodian: a key listed twice would let one person's approval count twice
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Holder h = holders.get(i);
            if (h.index() != i + 1) {
                throw new IllegalArgumentException("holders must be listed by index 1.." + n + "; position " + (i + 1)
                        + " has index " + h.index());
            }
            if (!custodians.add(h.custodianId())) {
                throw new IllegalArgumentException("custodian " + h.custodianId() + " holds more than one share");
            }
            if (!keys.add(java.util.HexFormat.of().formatHex(h.publicKey()))) {
                throw new IllegalArgumentException("custodian " + h.custodianId()
                        + " has the public key of another holder");
            }
        }
        if (frost != null) {
            checkFrost(algorithm, threshold, n, kcv, frost);
        }
    }

    /** A manifest of a SHAMIR key (no FROST keys pinned). */
    public Manifest(String keyId, int version, KeyAlgorithm algorithm, int threshold, List<Holder> holders, Kcv kcv) {
        this(keyId, version, algorithm, threshold, holders, kcv, null);
    }

    /** A FROST key is an Ed25519 key whose KCV is that of its group key and whose pinned shares fit together. */
    private static void checkFrost(KeyAlgorithm algorithm, int threshold, int n, Kcv kcv, FrostPublicKeys frost) {
        if (algorithm != KeyAlgorithm.ED25519) {
            throw new IllegalArgumentException("a FROST key must be ED25519");
        }
        if (frost.verificationShares().size() != n) {
            throw new IllegalArgumentException("a FROST manifest pins one verification share per holder: "
                    + frost.verificationShares().size() + " for " + n + " holders");
        }
        if (!kcv.equals(Kcv.ofPublicKey(frost.groupPublicKey()))) {
            throw new IllegalArgumentException("the KCV is not that of the group public key");
        }
        if (!frost.isConsistentFor(threshold)) {
            throw new IllegalArgumentException("the verification shares do not lie on one polynomial of degree "
                    + (threshold - 1) + " through the group public key");
        }
    }

    /** SHAMIR unless the manifest pins FROST keys. */
    public KeyScheme scheme() {
        return frost == null ? KeyScheme.SHAMIR : KeyScheme.FROST;
    }

    public int shareCount() {
        return holders.size();
    }

    /** The canonical JSON whose SHA-256 is {@link #digest()}. */
    public byte[] canonicalJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("keyId", keyId);
        m.put("version", version);
        m.put("algorithm", algorithm.wireName());
        m.put("threshold", threshold);
        m.put("shareCount", holders.size());
        List<Object> hs = new ArrayList<>();
        for (Holder h : holders) {
            hs.add(h.toJson());
        }
        m.put("holders", hs);
        m.put("kcv", kcv.hex());
        if (frost != null) {
            // only FROST manifests carry these fields: a SHAMIR manifest's bytes (and digest) are unchanged
            m.put("scheme", KeyScheme.FROST.name());
            m.put("groupPublicKey", java.util.Base64.getEncoder().encodeToString(frost.groupPublicKey()));
            m.put("verificationShares", frost.verificationSharesJson());
            if (frost.dkgTranscript() != null) {
                // only keys made by distributed key generation: a dealt key's manifest is unchanged
                m.put("dkgTranscript", HexFormat.of().formatHex(frost.dkgTranscript()));
            }
        }
        return CanonicalJson.toBytes(m);
    }

    /** SHA-256 of the canonical JSON, lowercase hex. */
    public String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonicalJson()));
        } catch (NoSuchAlgorithmException e) {
            throw new BugException("the JDK has no SHA-256", e);
        }
    }

    /** The exact bytes custodian {@code custodianId} signs to countersign this manifest. */
    public byte[] countersignatureStatement(String custodianId) {
        Identifiers.require(custodianId, "custodian id");
        String statement = FORMAT + "\n" + keyId + "\n" + version + "\n" + digest() + "\n" + custodianId;
        return statement.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Reads a manifest from its canonical JSON, strictly: exact canonical bytes, known
     * format, no unknown or missing field, every field valid.
     */
    public static Manifest parse(byte[] canonical) throws FormatException {
        JsonFields f = new JsonFields("manifest", CanonicalJsonParser.parseObject(canonical));
        boolean isFrost = f.names().contains("scheme");
        boolean isDkg = isFrost && f.names().contains("dkgTranscript");
        f.requireExactly(isDkg ? DKG_FIELDS : isFrost ? FROST_FIELDS : FIELDS);
        if (isFrost && !KeyScheme.FROST.name().equals(f.string("scheme"))) {
            throw new FormatException("manifest: scheme must be FROST when present (SHAMIR manifests omit it)");
        }
        if (!FORMAT.equals(f.string("format"))) {
            throw new FormatException("manifest: unknown format, expected " + FORMAT);
        }
        try {
            String keyId = f.identifier("keyId");
            List<Holder> holders = new ArrayList<>();
            List<Object> entries = f.array("holders");
            for (int i = 0; i < entries.size(); i++) {
                JsonFields h = JsonFields.element("manifest.holders[" + i + "]", entries.get(i));
                h.requireExactly(HOLDER_FIELDS);
                int index = (int) h.integer("index", 1, 255);
                ShareCommitment commitment = new ShareCommitment(index,
                        h.base64("salt", ShareCommitment.SALT_LENGTH), h.hex("commitment", 64));
                holders.add(new Holder(index, h.identifier("custodianId"),
                        h.base64("publicKey", Ed25519.PUBLIC_KEY_LENGTH), h.identifier("nodeId"), commitment));
            }
            FrostPublicKeys frost = null;
            if (isFrost) {
                List<byte[]> shares = new ArrayList<>();
                List<Object> entries2 = f.array("verificationShares");
                for (int i = 0; i < entries2.size(); i++) {
                    if (!(entries2.get(i) instanceof String s)) {
                        throw new FormatException("manifest: verificationShares[" + i + "] must be a base64 string");
                    }
                    shares.add(decodeElement(s, "verificationShares[" + i + "]"));
                }
                frost = new FrostPublicKeys(f.base64("groupPublicKey", FrostPublicKeys.ELEMENT_LENGTH), shares,
                        isDkg ? HexFormat.of().parseHex(f.hex("dkgTranscript", 64)) : null);
            }
            Manifest manifest = new Manifest(keyId, (int) f.integer("version", 1, Integer.MAX_VALUE),
                    KeyAlgorithm.fromWireName(f.string("algorithm")), (int) f.integer("threshold", 2, 255), holders,
                    new Kcv(f.hex("kcv", 6)), frost);
            if (manifest.shareCount() != f.integer("shareCount", 2, 255)) {
                throw new FormatException("manifest: shareCount does not match the number of holders");
            }
            return manifest;
        } catch (IllegalArgumentException e) {
            throw new FormatException("manifest: " + e.getMessage());
        }
    }

    private static byte[] decodeElement(String base64, String what) throws FormatException {
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new FormatException("manifest: " + what + " is not base64");
        }
        if (bytes.length != FrostPublicKeys.ELEMENT_LENGTH
                || !java.util.Base64.getEncoder().encodeToString(bytes).equals(base64)) {
            throw new FormatException("manifest: " + what + " must be " + FrostPublicKeys.ELEMENT_LENGTH
                    + " bytes in padded base64");
        }
        return bytes;
    }

    /** The holder entry of {@code custodianId}, or {@link IllegalArgumentException}. */
    public Holder holderOf(String custodianId) {
        for (Holder h : holders) {
            if (h.custodianId().equals(custodianId)) {
                return h;
            }
        }
        throw new IllegalArgumentException("custodian " + custodianId + " holds no share of " + keyId + " v" + version);
    }

    /**
     * Verifies a countersignature by a custodian pinned in this manifest.
     *
     * @throws SignatureException if the signature is not exactly 64 bytes or does not verify
     */
    public void verifyCountersignature(String custodianId, byte[] signature) throws SignatureException {
        Ed25519.verify(holderOf(custodianId).publicKey(), countersignatureStatement(custodianId), signature);
    }

    /**
     * Checks every share against its commitment, then combines them.
     *
     * @throws CorruptShareException naming the first share (by index) that does not match
     * @throws SharingException      any refusal of {@link Shamir#combine}
     */
    public SecretBytes reconstruct(Collection<Share> shares) throws SharingException {
        if (frost != null) {
            // byte-wise GF(2^8) combination of scalar shares would give garbage; a FROST key only signs
            throw new IllegalStateException(keyId + " v" + version + " is a FROST key: it is never rebuilt");
        }
        for (Share share : shares) {
            if (share.index() < 1 || share.index() > holders.size()) {
                throw new CorruptShareException(share.index());
            }
            holders.get(share.index() - 1).commitment().verify(keyId, version, share);
        }
        return Shamir.combine(shares);
    }
}
