package dev.keyescrow.cli.recipient;

import dev.keyescrow.coordinator.ceremony.KeyMaterial;
import dev.keyescrow.core.error.CorruptShareException;
import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.error.SharingException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ExportReleaseOpener;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code escrow export recover}'s check of a bundle ({@code docs/spec/export-release.md},
 * "Recovery"), in this order, refusing the whole bundle at the first failure: the request is
 * an EXPORT to this recipient's key; the manifest is of the request's key version; every
 * release comes from the holder of its index, whose identity key the operator pinned, and its
 * statement (request, digest, manifest digest, recipient key, transport key, wrapped bytes)
 * verifies under that key; it opens with the recipient key; the share matches its commitment
 * in the manifest. Then {@code t} shares are combined and the KCV compared with the manifest's.
 * A bundle with one bad release is refused even if {@code t} others are good: it was tampered
 * with on the way, and the operator should learn that.
 */
public final class ExportRecovery {
    private ExportRecovery() {
    }

    /** A refused bundle; the message names public values only. */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /** The recovered key and what identifies it; the caller destroys {@link #key()}. */
    public record Recovered(String requestId, String keyId, int version, Manifest manifest, SecretBytes key,
                            List<String> nodes) {
        @Override
        public String toString() {
            return "Recovered[" + keyId + " v" + version + ", key redacted]";
        }
    }

    public static Recovered recover(byte[] bundleBytes, EphemeralKey recipient, NodePins pins)
            throws RefusedException {
        ExportBundle bundle;
        CanonicalRequest request;
        Manifest manifest;
        try {
            bundle = ExportBundle.decode(bundleBytes);
            request = CanonicalRequest.parse(bundle.requestBytes());
            manifest = Manifest.parse(bundle.manifestBytes());
        } catch (FormatException | IllegalArgumentException e) {
            throw new RefusedException("not an export bundle: " + e.getMessage());
        }
        if (request.operation() != Operation.EXPORT
                || !(request.params() instanceof RequestParams.Export export)) {
            throw new RefusedException("the bundle's request " + request.requestId() + " is not an EXPORT");
        }
        if (!MessageDigest.isEqual(export.recipientPublicKey(), recipient.publicKey())) {
            throw new RefusedException("request " + request.requestId() + " exports to another recipient key (SHA-256 "
                    + HexFormat.of().formatHex(Statements.sha256(export.recipientPublicKey())) + "), not this one");
        }
        if (!manifest.keyId().equals(request.keyId()) || manifest.version() != request.version()) {
            throw new RefusedException("the bundle's manifest is of " + manifest.keyId() + " v" + manifest.version()
                    + ", the request of " + request.keyId() + " v" + request.version());
        }
        byte[] digest = HexFormat.of().parseHex(request.digest());
        TreeMap<Integer, Share> shares = new TreeMap<>();
        List<String> nodes = new ArrayList<>();
        try {
            for (ExportRelease release : bundle.releases()) {
                Share share = openRelease(release, request, digest, manifest, recipient, pins);
                if (shares.putIfAbsent(release.index(), share) != null) {
                    share.destroy();
                    throw new RefusedException("share " + release.index() + " appears twice in the bundle");
                }
                nodes.add(release.nodeId());
            }
            if (shares.size() < manifest.threshold()) {
                throw new RefusedException("the bundle holds " + shares.size() + " shares; " + manifest.threshold()
                        + " are needed");
            }
            SecretBytes key = manifest.reconstruct(new ArrayList<>(shares.values()));
            Kcv kcv;
            try {
                kcv = KeyMaterial.kcvOf(manifest.algorithm(), key);
            } catch (RuntimeException e) {
                key.destroy();
                throw new RefusedException("the combined bytes are not a valid " + manifest.algorithm().wireName()
                        + " key");
            }
            if (!kcv.equals(manifest.kcv())) {
                key.destroy();
                throw new RefusedException("the combined key's KCV " + kcv.hex() + " does not match the manifest's "
                        + manifest.kcv().hex() + "; do not use it");
            }
            return new Recovered(request.requestId(), manifest.keyId(), manifest.version(), manifest, key,
                    List.copyOf(nodes));
        } catch (SharingException e) {
            throw new RefusedException("the shares do not combine: " + e.getMessage());
        } finally {
            shares.values().forEach(Share::destroy);
        }
    }

    private static Share openRelease(ExportRelease release, CanonicalRequest request, byte[] digest,
            Manifest manifest, EphemeralKey recipient, NodePins pins) throws RefusedException {
        String what = "release of share " + release.index() + " from node " + release.nodeId();
        if (release.index() > manifest.shareCount()) {
            throw new RefusedException(what + " names an index outside [1, " + manifest.shareCount() + "]");
        }
        Holder holder = manifest.holders().get(release.index() - 1);
        if (!holder.nodeId().equals(release.nodeId())) {
            throw new RefusedException(what + ": the manifest says node " + holder.nodeId() + " holds that share");
        }
        if (!pins.pins(release.nodeId())) {
            throw new RefusedException(what + ": node " + release.nodeId() + " is not pinned (--trust-nodes, --trust-nodes-file)");
        }
        if (!pins.trusts(release.nodeId(), release.identityPublicKey())) {
            throw new RefusedException(what + ": its identity key does not match the fingerprint pinned for "
                    + release.nodeId());
        }
        ShareRef ref;
        try {
            ref = new ShareRef(manifest.keyId(), manifest.version(), release.index(), release.length());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(what + " has an invalid share reference");
        }
        byte[] wrapped = release.wrapped();
        try {
            EcdsaP256.verify(release.identityPublicKey(), Statements.exportRelease(request.requestId(), digest,
                    release.nodeId(), ref, manifest.digest(), recipient.publicKey(), release.transportPublicKey(),
                    wrapped), release.signature());
        } catch (SignatureException e) {
            throw new RefusedException(what + " does not verify under the pinned node key (forged or altered)");
        }
        try (SecretBytes value = ExportReleaseOpener.open(recipient, release.transportPublicKey(),
                request.requestId(), digest, ref, wrapped)) {
            Share share = Share.of(splitIdOf(manifest), SharingParameters.of(manifest.threshold(),
                    manifest.shareCount(), value.length()), release.index(), value);
            try {
                holder.commitment().verify(manifest.keyId(), manifest.version(), share);
            } catch (CorruptShareException e) {
                share.destroy();
                throw new RefusedException(what + " does not match its commitment in the manifest");
            }
            return share;
        } catch (CorruptBlobException e) {
            throw new RefusedException(what + " does not open with this recipient key");
        } catch (InvalidPeerKeyException e) {
            throw new RefusedException(what + " names an invalid transport key");
        } catch (InvalidShareIndexException | IllegalArgumentException e) {
            throw new RefusedException(what + " cannot be a share of this version: " + e.getMessage());
        }
    }

    /** The split id every share of one version carries: public, a function of key id and version. */
    private static SplitId splitIdOf(Manifest manifest) {
        byte[] d = Statements.sha256(("keyescrow/v1/split\0" + manifest.keyId() + "\0" + manifest.version())
                .getBytes(StandardCharsets.US_ASCII));
        return SplitId.copyFrom(Arrays.copyOf(d, SplitId.LENGTH_BYTES));
    }
}
