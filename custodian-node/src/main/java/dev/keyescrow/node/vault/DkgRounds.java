package dev.keyescrow.node.vault;

import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.DkgComplaintException;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.frost.DkgParticipant;
import dev.keyescrow.core.frost.DkgResult;
import dev.keyescrow.core.frost.DkgRound1Package;
import dev.keyescrow.core.frost.DkgRound2Share;
import dev.keyescrow.core.frost.ParticipantId;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.sharing.Share;
import dev.keyescrow.core.sharing.SharingParameters;
import dev.keyescrow.core.sharing.SplitId;
import dev.keyescrow.core.wire.DkgCallMessage;
import dev.keyescrow.core.wire.DkgComplaintMessage;
import dev.keyescrow.core.wire.DkgPackageMessage;
import dev.keyescrow.core.wire.DkgResultMessage;
import dev.keyescrow.core.wire.DkgShareMessage;
import dev.keyescrow.core.wire.FrostStatements;
import dev.keyescrow.hsm.CorruptBlobException;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.Token;
import dev.keyescrow.hsm.spec.ShareSender;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * This node's part in a distributed key generation (Pedersen DKG with proofs of knowledge,
 * {@code DkgParticipant}) for every participant the coordinator's signed call places on it.
 *
 * <p>Round one: a fresh polynomial per participant, its package signed by the node's identity
 * key. Round two, once all n packages verified (each signed by its holder's node, as pinned in
 * the call): each evaluation encrypted to the recipient node's transport key under the
 * {@code frost-dkg-share} purpose and signed. A received share is opened by the token and
 * checked against its sender's commitment. The end: the signing share goes into an import
 * envelope for this node's own transport key, published with its verification share, share
 * commitment and transcript digest; the coordinator relays that envelope back in a signed import,
 * so the share is stored, wrapped under the epoch KEK and receipted exactly as a dealt share.
 *
 * <p>A package, share or envelope that fails its check makes this node publish a signed
 * complaint naming the sender, and every node drops the ceremony on a valid complaint. Nothing
 * is written to disk before the import: the polynomials and received shares live in memory
 * only, so a node that restarts mid-ceremony has lost them, does not rejoin (it sees its own
 * earlier package), and the ceremony times out and is rolled back. Methods are synchronized.
 */
public final class DkgRounds {
    /** Where this class's messages go (the cluster bridge's maps). */
    public interface Outbox {
        void packageReady(DkgPackageMessage message);

        void shareReady(DkgShareMessage message);

        void resultReady(DkgResultMessage message);

        void complaintReady(DkgComplaintMessage message);
    }

    private final String nodeId;
    private final Token token;
    private final byte[] coordinatorPublicKey;
    private final Supplier<Instant> clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Ceremony> ceremonies = new HashMap<>();
    /** Ceremonies that ended here (finished, complained about, expired): their messages are ignored. */
    private final Set<String> ended = new HashSet<>();

    public DkgRounds(String nodeId, Token token, byte[] coordinatorPublicKey, Supplier<Instant> clock) {
        this.nodeId = nodeId;
        this.token = token;
        this.coordinatorPublicKey = coordinatorPublicKey.clone();
        this.clock = clock;
    }

    /** One ceremony's state at this node; the secrets are destroyed by {@link #close()}. */
    private static final class Ceremony implements AutoCloseable {
        final DkgCallMessage call;
        final byte[] contextDigest;
        final Map<Integer, DkgParticipant> mine = new TreeMap<>();
        final Map<ParticipantId, DkgRound1Package> packages = new TreeMap<>();
        final Map<Integer, Map<Integer, DkgRound2Share>> received = new TreeMap<>();
        final Set<Integer> finished = new HashSet<>();
        boolean sharesSent;

        Ceremony(DkgCallMessage call) {
            this.call = call;
            this.contextDigest = FrostStatements.sha256(call.context().toBytes());
        }

        @Override
        public void close() {
            mine.values().forEach(DkgParticipant::close);
            received.values().forEach(m -> m.values().forEach(DkgRound2Share::close));
        }
    }

    /** Whether the call places a participant on this node. */
    public boolean isCalled(DkgCallMessage call) {
        return call.holders().stream().anyMatch(h -> h.nodeId().equals(nodeId));
    }

    /**
     * Starts round one of a call the pinned coordinator signed, unless the call is late, not for
     * this node, or known already. {@code rejoin} says this node published a package of the
     * ceremony before (it restarted since): it then stays out, the ceremony cannot complete and
     * is rolled back.
     *
     * @throws SignatureException the call is not the pinned coordinator's
     */
    public synchronized void onCall(DkgCallMessage call, boolean rejoin, Outbox out) throws KeyEscrowException {
        expire();
        if (!isCalled(call) || ceremonies.containsKey(call.ceremonyId()) || ended.contains(call.ceremonyId())) {
            return;
        }
        CoordinatorStatement.verify(coordinatorPublicKey, Kind.DKG_CALL, call.digest(), call.coordinatorSignature());
        if (rejoin || clock.get().isAfter(call.deadline())) {
            ended.add(call.ceremonyId());
            return;
        }
        Ceremony c = new Ceremony(call);
        ceremonies.put(call.ceremonyId(), c);
        for (var h : call.holders()) {
            if (h.nodeId().equals(nodeId)) {
                DkgParticipant p = DkgParticipant.start(ParticipantId.of(h.index()), call.context(), random);
                c.mine.put(h.index(), p);
                c.received.put(h.index(), new TreeMap<>());
            }
        }
        for (var e : c.mine.entrySet()) {
            DkgPackageMessage unsigned = new DkgPackageMessage(call.ceremonyId(), nodeId, e.getKey(),
                    e.getValue().round1Package().encode(), new byte[64]);
            out.packageReady(new DkgPackageMessage(call.ceremonyId(), nodeId, e.getKey(), unsigned.pkg(),
                    token.identity().sign(unsigned.statement())));
        }
    }

    /**
     * A round-one package: kept once its holder's node signature verifies; with all n, this
     * node's participants check every proof and send their round-two shares.
     *
     * @throws SignatureException not signed by the node the call names (a rogue member): ignored, not a complaint
     */
    public synchronized void onPackage(DkgPackageMessage message, Outbox out) throws KeyEscrowException {
        Ceremony c = ceremonies.get(message.ceremonyId());
        if (c == null) {
            return;
        }
        message.verify(c.call.holder(message.index()));
        DkgRound1Package pkg;
        try {
            pkg = DkgRound1Package.decode(message.pkg());
        } catch (IllegalArgumentException e) {
            complain(c, message.index(), Reason.MALFORMED_PACKAGE, out);
            return;
        }
        ParticipantId sender = ParticipantId.of(message.index());
        DkgRound1Package earlier = c.packages.get(sender);
        if (earlier != null) {
            if (!Arrays.equals(earlier.encode(), pkg.encode())) {
                complain(c, message.index(), Reason.MISSING_OR_DUPLICATE, out);
            }
            return;
        }
        if (!pkg.sender().equals(sender)) {
            complain(c, message.index(), Reason.MALFORMED_PACKAGE, out);
            return;
        }
        c.packages.put(sender, pkg);
        if (c.packages.size() < c.call.holders().size() || c.sharesSent) {
            return;
        }
        c.sharesSent = true;
        for (var e : c.mine.entrySet()) {
            List<DkgRound2Share> shares;
            try {
                shares = e.getValue().round2Shares(c.packages);
            } catch (DkgComplaintException complaint) {
                complain(c, complaint.accused().value(), complaint.reason(), out);
                return;
            }
            try {
                for (DkgRound2Share share : shares) {
                    out.shareReady(sealed(c, share));
                }
            } finally {
                shares.forEach(DkgRound2Share::close);
            }
        }
        for (int index : List.copyOf(c.mine.keySet())) {
            if (ceremonies.containsKey(c.call.ceremonyId())) {
                tryFinish(c, index, out);
            }
        }
    }

    /** A round-two share for one of this node's participants: opened by the token, checked at the end. */
    public synchronized void onShare(DkgShareMessage message, Outbox out) throws KeyEscrowException {
        Ceremony c = ceremonies.get(message.ceremonyId());
        if (c == null || !c.mine.containsKey(message.recipient())) {
            return;
        }
        message.verify(c.call.holder(message.sender()));
        Map<Integer, DkgRound2Share> received = c.received.get(message.recipient());
        if (received.containsKey(message.sender())) {
            return; // re-delivered; a second, different share from the same sender is still refused by the map key
        }
        ShareRef ref = new ShareRef(c.call.keyId(), c.call.version(), message.recipient(), Token.FROST_SHARE_LENGTH);
        DkgRound2Share share;
        try (SecretBytes opened = token.openDkgShare(c.call.ceremonyId(), c.contextDigest, message.sender(), ref,
                message.envelope())) {
            share = new DkgRound2Share(ParticipantId.of(message.sender()), ParticipantId.of(message.recipient()),
                    SecretScalar.moveFrom(opened.toByteArray(SecretAccess.plaintext())));
        } catch (CorruptBlobException | IllegalArgumentException e) {
            // an envelope that does not open, or a value that is no scalar: the sender's fault
            complain(c, message.sender(), Reason.SHARE_MISMATCH, out);
            return;
        }
        received.put(message.sender(), share);
        tryFinish(c, message.recipient(), out);
    }

    /** A complaint signed by a holder's node: the ceremony is over, its secrets destroyed here. */
    public synchronized void onComplaint(DkgComplaintMessage message) throws KeyEscrowException {
        Ceremony c = ceremonies.get(message.ceremonyId());
        if (c == null) {
            return;
        }
        message.verify(c.call.holder(message.index()));
        end(c);
    }

    /** How many ceremonies hold secrets here (for tests and metrics). */
    public synchronized int running() {
        expire();
        return ceremonies.size();
    }

    private void tryFinish(Ceremony c, int index, Outbox out) throws KeyEscrowException {
        int n = c.call.holders().size();
        Map<Integer, DkgRound2Share> received = c.received.get(index);
        if (c.finished.contains(index) || c.packages.size() < n || received.size() < n - 1) {
            return;
        }
        DkgResult result;
        try {
            result = c.mine.get(index).finish(c.packages, new ArrayList<>(received.values()));
        } catch (DkgComplaintException complaint) {
            complain(c, complaint.accused().value(), complaint.reason(), out);
            return;
        }
        try (result) {
            c.finished.add(index);
            out.resultReady(resultOf(c, index, result));
        }
        if (c.finished.equals(c.mine.keySet())) {
            end(c);
        }
    }

    /** The signing share in an import envelope for this node, its commitment, and the public parts. */
    private DkgResultMessage resultOf(Ceremony c, int index, DkgResult result) throws KeyEscrowException {
        DkgCallMessage call = c.call;
        byte[] splitId = new byte[SplitId.LENGTH_BYTES];
        random.nextBytes(splitId);
        byte[] salt = new byte[ShareCommitment.SALT_LENGTH];
        random.nextBytes(salt);
        ShareRef ref = new ShareRef(call.keyId(), call.version(), index, Token.FROST_SHARE_LENGTH);
        try (SecretBytes value = SecretBytes.moveFrom(result.keyShare().signingShare()
                .toByteArray(SecretAccess.plaintext()));
             Share share = Share.of(SplitId.copyFrom(splitId), SharingParameters.of(call.threshold(),
                     call.holders().size(), Token.FROST_SHARE_LENGTH), index, value)) {
            ShareCommitment commitment = ShareCommitment.compute(call.keyId(), call.version(), share, salt);
            byte[] envelope = ShareSender.wrapForImport(token.transportPublicKey(), ref, value, random);
            DkgResultMessage unsigned = new DkgResultMessage(call.ceremonyId(), nodeId, index,
                    result.keyShare().verificationShare().toBytes(), result.transcriptDigest(), commitment, envelope,
                    new byte[64]);
            return new DkgResultMessage(call.ceremonyId(), nodeId, index, unsigned.verificationShare(),
                    unsigned.transcriptDigest(), commitment, envelope, token.identity().sign(unsigned.statement()));
        }
    }

    private DkgShareMessage sealed(Ceremony c, DkgRound2Share share) throws KeyEscrowException {
        int sender = share.sender().value();
        int recipient = share.recipient().value();
        ShareRef ref = new ShareRef(c.call.keyId(), c.call.version(), recipient, Token.FROST_SHARE_LENGTH);
        byte[] envelope;
        try (SecretBytes value = SecretBytes.moveFrom(share.value().toByteArray(SecretAccess.plaintext()))) {
            envelope = ShareSender.wrapForDkgShare(c.call.holder(recipient).transportKey(), c.call.ceremonyId(),
                    sender, ref, value, random);
        }
        DkgShareMessage unsigned = new DkgShareMessage(c.call.ceremonyId(), nodeId, sender, recipient, envelope,
                new byte[64]);
        return new DkgShareMessage(c.call.ceremonyId(), nodeId, sender, recipient, envelope,
                token.identity().sign(unsigned.statement()));
    }

    /** Publishes this node's complaint (from its first participant) and drops the ceremony. */
    private void complain(Ceremony c, int accused, Reason reason, Outbox out) throws KeyEscrowException {
        int index = c.mine.keySet().iterator().next();
        DkgComplaintMessage unsigned = new DkgComplaintMessage(c.call.ceremonyId(), nodeId, index, accused, reason,
                new byte[64]);
        end(c);
        out.complaintReady(new DkgComplaintMessage(c.call.ceremonyId(), nodeId, index, accused, reason,
                token.identity().sign(unsigned.statement())));
    }

    private void end(Ceremony c) {
        ceremonies.remove(c.call.ceremonyId());
        ended.add(c.call.ceremonyId());
        c.close();
    }

    /** Drops every ceremony past its deadline: the coordinator rolls it back then. */
    private void expire() {
        Instant now = clock.get();
        for (Ceremony c : List.copyOf(ceremonies.values())) {
            if (now.isAfter(c.call.deadline())) {
                end(c);
            }
        }
    }
}
