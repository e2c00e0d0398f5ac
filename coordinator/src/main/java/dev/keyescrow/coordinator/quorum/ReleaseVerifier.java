package dev.keyescrow.coordinator.quorum;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.error.CorruptShareException;
import dev.keyescrow.core.error.InvalidShareIndexException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.export.ExportRelease;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.wire.ReleaseMessage;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import dev.keyescrow.hsm.spec.Statements;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Verifies one release before its share may be combined, in this order, naming the share
 * index and node on the first failure: it is for this request (id and digest) and key
 * version; the node is the holder of that index in the manifest; the release statement,
 * rebuilt from the message's values, verifies under that node's pinned identity key; the
 * wrapped bytes open with the request's ephemeral key and the node's pinned transport key;
 * the share matches its commitment. A release that passes is this node's share of this
 * key version, made for this request — nothing else is.
 */
public final class ReleaseVerifier {
    private final NodeRegistry nodes;

    public ReleaseVerifier(NodeRegistry nodes) {
        this.nodes = nodes;
    }

    /**
     * The verified share. All shares of one key version get the same {@link #splitIdOf split
     * id}, so {@code Shamir.combine} accepts them together and refuses any other version's.
     *
     * @throws BadReleaseException naming index, node and problem
     */
    public Share verify(ReleaseMessage release, CanonicalRequest request, Manifest manifest, EphemeralKey key)
            throws BadReleaseException {
        int index = release.index();
        String nodeId = release.nodeId();
        String digest = request.digest();
        if (request.operation() == Operation.EXPORT) {
            throw bad(release, "is for an EXPORT request, whose releases are the recipient's to open");
        }
        EnrolledNode node = checkHolder(release, request, manifest);
        Holder holder = manifest.holders().get(index - 1);
        ShareRef ref = shareRef(release);
        byte[] digestBytes = HexFormat.of().parseHex(digest);
        byte[] wrapped = release.wrapped();
        try {
            EcdsaP256.verify(node.identityPublicKey(), Statements.release(request.requestId(), digestBytes, nodeId,
                    ref, wrapped), release.signature());
        } catch (SignatureException e) {
            throw bad(release, "does not verify under the node's pinned identity key: " + e.getMessage());
        }
        // from here on the node signed what it sent: a failure is evidence against it
        SecretBytes value;
        try {
            value = ReleaseOpener.open(key, node.transportPublicKey(), request.requestId(), digestBytes, ref, wrapped);
        } catch (CorruptBlobException e) {
            throw signedBad(release, "does not open with this request's ephemeral key (corrupt or made for "
                    + "another request)");
        } catch (InvalidPeerKeyException e) {
            throw signedBad(release, "cannot be opened: " + e.getMessage());
        }
        try (value) {
            Share share = Share.of(splitIdOf(manifest), SharingParameters.of(manifest.threshold(),
                    manifest.shareCount(), value.length()), index, value);
            try {
                holder.commitment().verify(manifest.keyId(), manifest.version(), share);
            } catch (CorruptShareException e) {
                share.destroy();
                throw signedBad(release, "does not match its commitment in the manifest");
            }
            return share;
        } catch (InvalidShareIndexException | IllegalArgumentException e) {
            throw signedBad(release, "cannot be a share of this version: " + e.getMessage());
        }
    }

    /**
     * An EXPORT release, checked as far as the coordinator can: for this request, from the
     * holder of that index, and signed by that node's pinned identity key over the export
     * release statement (the pinned manifest's digest, the recipient key the request names,
     * the node's pinned transport key). It is not opened: the share is wrapped to the
     * recipient's key, which the coordinator never has. The recipient checks it all again.
     *
     * @throws BadReleaseException naming index, node and problem
     */
    public ExportRelease verifyExport(ReleaseMessage release, CanonicalRequest request, Manifest manifest)
            throws BadReleaseException {
        if (!(request.params() instanceof RequestParams.Export export)) {
            throw bad(release, "is not for an EXPORT request");
        }
        EnrolledNode node = checkHolder(release, request, manifest);
        ShareRef ref = shareRef(release);
        byte[] wrapped = release.wrapped();
        try {
            EcdsaP256.verify(node.identityPublicKey(), Statements.exportRelease(request.requestId(),
                    HexFormat.of().parseHex(request.digest()), release.nodeId(), ref, manifest.digest(),
                    export.recipientPublicKey(), node.transportPublicKey(), wrapped), release.signature());
        } catch (SignatureException e) {
            throw bad(release, "does not verify as an export release under the node's pinned identity key: "
                    + e.getMessage());
        }
        try {
            return new ExportRelease(release.nodeId(), release.index(), release.length(), node.identityPublicKey(),
                    node.transportPublicKey(), wrapped, release.signature());
        } catch (IllegalArgumentException e) {
            throw signedBad(release, "cannot be relayed: " + e.getMessage());
        }
    }

    private EnrolledNode checkHolder(ReleaseMessage release, CanonicalRequest request, Manifest manifest)
            throws BadReleaseException {
        if (!release.requestId().equals(request.requestId()) || !release.requestDigest().equals(request.digest())) {
            throw bad(release, "was made for another request or digest");
        }
        if (!release.keyId().equals(manifest.keyId()) || release.version() != manifest.version()) {
            throw bad(release, "is for " + release.keyId() + " v" + release.version() + ", the request for "
                    + manifest.keyId() + " v" + manifest.version());
        }
        if (release.index() < 1 || release.index() > manifest.shareCount()) {
            throw bad(release, "names an index outside [1, " + manifest.shareCount() + "]");
        }
        Holder holder = manifest.holders().get(release.index() - 1);
        if (!holder.nodeId().equals(release.nodeId())) {
            throw bad(release, "comes from a node that does not hold it (the manifest says " + holder.nodeId() + ")");
        }
        return nodes.find(release.nodeId()).orElseThrow(() -> bad(release, "comes from a node that is not enrolled"));
    }

    private static ShareRef shareRef(ReleaseMessage release) throws BadReleaseException {
        try {
            return new ShareRef(release.keyId(), release.version(), release.index(), release.length());
        } catch (IllegalArgumentException e) {
            throw bad(release, "has an invalid share reference: " + e.getMessage());
        }
    }

    private static BadReleaseException bad(ReleaseMessage release, String problem) {
        return new BadReleaseException(release.index(), release.nodeId(), "release of share " + release.index()
                + " from node " + release.nodeId() + " " + problem, false);
    }

    private static BadReleaseException signedBad(ReleaseMessage release, String problem) {
        return new BadReleaseException(release.index(), release.nodeId(), "release of share " + release.index()
                + " from node " + release.nodeId() + " " + problem, true);
    }

    /** A split id that is a function of key id and version: public, the same for every share of one version. */
    static SplitId splitIdOf(Manifest manifest) {
        byte[] digest = Statements.sha256(("keyescrow/v1/split\0" + manifest.keyId() + "\0" + manifest.version())
                .getBytes(StandardCharsets.US_ASCII));
        return SplitId.copyFrom(Arrays.copyOf(digest, SplitId.LENGTH_BYTES));
    }
}
