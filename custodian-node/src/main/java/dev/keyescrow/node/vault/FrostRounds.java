package dev.keyescrow.node.vault;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.CommitmentList;
import dev.keyescrow.core.frost.FrostSigner;
import dev.keyescrow.core.frost.GroupElement;
import dev.keyescrow.core.frost.KeyShare;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.frost.SigningCommitment;
import dev.keyescrow.core.frost.SigningNonces;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.FrostStatements;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeService;
import dev.keyescrow.node.approval.NodeRefusalReason;
import dev.keyescrow.node.approval.NodeRefusedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * This node's part in SIGN (RFC 9591's two rounds) for the FROST shares it holds.
 *
 * <p>Round one: the share is opened into this process ({@link Token#unwrapFrostShare}), one
 * hedged nonce pair drawn per message, the commitment signed and <em>journaled</em> (fsync)
 * before the caller publishes it; the nonces stay in memory only. A restart loses them, and
 * the journal then refuses a second commitment for that attempt and this class refuses to
 * sign for it: a nonce never signs twice. Round two: only for a coordinator-signed call over
 * exactly t holders of the request's key version that carries this node's journaled
 * commitment; the shares are signed and journaled before they are published, and the nonces
 * are destroyed whatever the outcome. The share scalar is zeroed as soon as each round is done.
 *
 * <p>Methods are synchronized: one round at a time on this node.
 */
public final class FrostRounds {
    private final NodeService service;
    private final Token token;
    private final NodeVault vault;
    private final byte[] coordinatorPublicKey;
    private final SecureRandom random = new SecureRandom();
    /** Live nonces by {@code requestId/attempt/index}, one pair per message; never written anywhere. */
    private final Map<String, List<SigningNonces>> nonces = new HashMap<>();

    public FrostRounds(NodeService service, Token token, NodeVault vault, byte[] coordinatorPublicKey) {
        this.service = service;
        this.token = token;
        this.vault = vault;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
    }

    /**
     * Round one of {@code attempt} for share {@code index}: the commitment journaled before, or
     * a new one (journaled before it is returned).
     */
    public synchronized FrostCommitmentMessage commit(String requestId, int attempt, int index)
            throws NodeRefusedException, IOException, KeyEscrowException {
        var journaled = service.frostCommitment(requestId, attempt, index);
        if (journaled.isPresent()) {
            return journaled.get();
        }
        CanonicalRequest request = service.request(requestId);
        RequestParams.Sign params = service.signingParams(requestId, request.digest(), index);
        List<SigningNonces> drawn = new ArrayList<>();
        try (KeyShare share = openShare(request, index)) {
            for (int j = 0; j < params.count(); j++) {
                drawn.add(SigningNonces.generate(share, random));
            }
        }
        List<byte[]> commitments = drawn.stream().map(n -> concat(n.commitment().hiding().toBytes(),
                n.commitment().binding().toBytes())).toList();
        byte[] statement = FrostStatements.commitment(requestId, request.digest(), attempt, service.nodeId(), index,
                commitments);
        FrostCommitmentMessage message = new FrostCommitmentMessage(requestId, request.digest(), attempt,
                service.nodeId(), index, commitments, token.identity().sign(statement));
        try {
            // journaled (fsync) before anyone sees it: from here on these nonces count as spent
            service.submit(new NodeEvent.FrostCommitted(new String(message.encode(), StandardCharsets.UTF_8)));
        } catch (IOException | KeyEscrowException | RuntimeException e) {
            drawn.forEach(SigningNonces::close);
            throw e;
        }
        nonces.put(message.key(), drawn);
        // an earlier attempt of this request and share is over once a later one is called: its nonces go
        for (int earlier = 1; earlier < attempt; earlier++) {
            destroyNonces(requestId + "/" + earlier + "/" + index);
        }
        return message;
    }

    /**
     * Round one of a new attempt that the coordinator called for (the first attempt needs no
     * call): a commitment for each share of this node that takes part in the request.
     */
    public synchronized List<FrostCommitmentMessage> commit(FrostCallMessage call)
            throws NodeRefusedException, IOException, KeyEscrowException {
        verifyCoordinator(call);
        if (call.isRoundTwo()) {
            throw new IllegalArgumentException("a round-two call");
        }
        CanonicalRequest request = service.request(call.requestId());
        Manifest manifest = service.manifest(request.keyId(), request.version());
        List<FrostCommitmentMessage> out = new ArrayList<>();
        for (var h : manifest.holders()) {
            if (h.nodeId().equals(service.nodeId())
                    && service.held(request.keyId() + "/" + request.version() + "/" + h.index()).isPresent()) {
                out.add(commit(call.requestId(), call.attempt(), h.index()));
            }
        }
        return out;
    }

    private void verifyCoordinator(FrostCallMessage call) throws NodeRefusedException {
        try {
            CoordinatorStatement.verify(coordinatorPublicKey, CoordinatorStatement.Kind.FROST_ROUND,
                    call.bodyDigest(), call.coordinatorSignature());
        } catch (SignatureException e) {
            throw new NodeRefusedException(NodeRefusalReason.BAD_COORDINATOR_SIGNATURE, "round call for "
                    + call.requestId() + " is not signed by the pinned coordinator");
        }
    }

    /**
     * Round two for every share of this node that {@code call} names: its signature shares,
     * journaled before they are returned (or as journaled before).
     */
    public synchronized List<FrostShareMessage> sign(FrostCallMessage call)
            throws NodeRefusedException, IOException, KeyEscrowException {
        verifyCoordinator(call);
        CanonicalRequest request = service.request(call.requestId());
        Manifest manifest = service.manifest(request.keyId(), request.version());
        if (!call.isRoundTwo() || call.signers().size() != manifest.threshold()) {
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "round two of " + call.requestId() + " needs exactly "
                    + manifest.threshold() + " signers, not " + call.signers().size());
        }
        for (FrostCommitmentMessage c : call.signers()) {
            boolean holder = manifest.holders().stream().anyMatch(h -> h.index() == c.index()
                    && h.nodeId().equals(c.nodeId()));
            if (!holder) {
                throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "signer " + c.index() + " on " + c.nodeId()
                        + " is not a holder of " + manifest.keyId() + " v" + manifest.version());
            }
        }
        List<FrostShareMessage> out = new ArrayList<>();
        for (FrostCommitmentMessage mine : call.signers()) {
            if (mine.nodeId().equals(service.nodeId())) {
                out.add(signAs(call, request, manifest, mine));
            }
        }
        return out;
    }

    private FrostShareMessage signAs(FrostCallMessage call, CanonicalRequest request, Manifest manifest,
            FrostCommitmentMessage mine) throws NodeRefusedException, IOException, KeyEscrowException {
        var done = service.frostShare(call.requestId(), call.attempt(), mine.index());
        if (done.isPresent()) {
            return done.get();
        }
        RequestParams.Sign params = service.signingParams(call.requestId(), request.digest(), mine.index());
        FrostCommitmentMessage journaled = service.frostCommitment(call.requestId(), call.attempt(), mine.index())
                .orElseThrow(() -> new NodeRefusedException(NodeRefusalReason.CLOSED, "share " + mine.index()
                        + " never committed for " + call.requestId() + " attempt " + call.attempt()));
        if (!Arrays.equals(journaled.encode(), mine.encode())) {
            destroyNonces(journaled.key());
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "the call carries another commitment for share "
                    + mine.index() + " than this node made");
        }
        List<SigningNonces> live = nonces.remove(journaled.key());
        if (live == null) {
            throw new NodeRefusedException(NodeRefusalReason.CLOSED, "the nonces of share " + mine.index() + " for "
                    + call.requestId() + " attempt " + call.attempt() + " are gone (a restart since round one):"
                    + " this node never signs with them; the coordinator must try another attempt");
        }
        List<byte[]> listDigests = new ArrayList<>();
        List<byte[]> shares = new ArrayList<>();
        try (KeyShare share = openShare(request, mine.index())) {
            for (int j = 0; j < params.count(); j++) {
                CommitmentList list = listFor(call, j);
                listDigests.add(FrostStatements.sha256(list.encode()));
                shares.add(FrostSigner.sign(share, live.get(j), list, params.message(j)).value());
            }
        } catch (IllegalArgumentException e) {
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "round two of " + call.requestId() + " refused: "
                    + e.getMessage());
        } finally {
            live.forEach(SigningNonces::close);
        }
        byte[] statement = FrostStatements.signatureShare(call.requestId(), request.digest(), call.attempt(),
                service.nodeId(), mine.index(), listDigests, shares);
        FrostShareMessage message = new FrostShareMessage(call.requestId(), request.digest(), call.attempt(),
                service.nodeId(), mine.index(), listDigests, shares, token.identity().sign(statement));
        service.submit(new NodeEvent.FrostSigned(new String(message.encode(), StandardCharsets.UTF_8)));
        return message;
    }

    /** The RFC 9591 commitment list of message {@code j}: every signer's j-th commitment, by identifier. */
    static CommitmentList listFor(FrostCallMessage call, int j) {
        List<SigningCommitment> list = new ArrayList<>();
        for (FrostCommitmentMessage c : call.signers()) {
            byte[] both = c.commitments().get(j);
            list.add(new SigningCommitment(ParticipantId.of(c.index()),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 0, 32)),
                    GroupElement.fromBytes(Arrays.copyOfRange(both, 32, 64))));
        }
        return new CommitmentList(list);
    }

    private void destroyNonces(String key) {
        List<SigningNonces> live = nonces.remove(key);
        if (live != null) {
            live.forEach(SigningNonces::close);
        }
    }

    /**
     * Share {@code index} of the request's key version as a FROST key share, checked against the
     * verification share the manifest pins. The caller closes it (which zeroes the scalar).
     */
    private KeyShare openShare(CanonicalRequest request, int index)
            throws NodeRefusedException, IOException, KeyEscrowException {
        Manifest manifest = service.manifest(request.keyId(), request.version());
        NodeEvent.ShareHeld held = service.held(request.keyId() + "/" + request.version() + "/" + index)
                .orElseThrow(() -> new NodeRefusedException(NodeRefusalReason.NOT_ON_THIS_NODE, "share " + index
                        + " is not held here"));
        if (manifest.frost() == null) {
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, request.keyId() + " is not a FROST key");
        }
        byte[] pinned = manifest.frost().verificationShareOf(index);
        byte[] digest = HexFormat.of().parseHex(request.digest());
        KeyShare share;
        try (SecretBytes opened = token.unwrapFrostShare(request.requestId(), digest, vault.stored(held))) {
            share = new KeyShare(ParticipantId.of(index),
                    SecretScalar.moveFrom(opened.toByteArray(SecretAccess.plaintext())),
                    GroupElement.fromBytes(manifest.frost().groupPublicKey()), manifest.threshold());
        }
        if (!Arrays.equals(share.verificationShare().toBytes(), pinned)) {
            share.close();
            throw new NodeRefusedException(NodeRefusalReason.CONFLICT, "share " + index + " does not match the verification"
                    + " share its manifest pins");
        }
        return share;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
