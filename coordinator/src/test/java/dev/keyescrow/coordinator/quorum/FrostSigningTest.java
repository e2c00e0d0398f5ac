package dev.keyescrow.coordinator.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.coordinator.enrolment.EnrolledNode;
import dev.keyescrow.coordinator.enrolment.NodeRegistry;
import dev.keyescrow.core.frost.DealerSplit;
import dev.keyescrow.core.frost.Ed25519KeyImport;
import dev.keyescrow.core.frost.FrostSigner;
import dev.keyescrow.core.frost.KeyShare;
import dev.keyescrow.core.frost.SecretScalar;
import dev.keyescrow.core.frost.SigningNonces;
import dev.keyescrow.core.frost.TrustedDealer;
import dev.keyescrow.core.integrity.FrostPublicKeys;
import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.core.wire.FrostCallMessage;
import dev.keyescrow.core.wire.FrostCommitmentMessage;
import dev.keyescrow.core.wire.FrostShareMessage;
import dev.keyescrow.core.wire.FrostStatements;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's SIGN rounds against five holders that run the real RFC 9591 code and sign
 * their messages with their own P-256 identity keys, one of them lying: its signature share is
 * not z_i. The liar is named by share and node and left out, the next attempt (fresh nonces)
 * signs with three honest holders and the signature verifies under the group key; with too many
 * liars the request fails with a reason that says so; a commitment signed by another key than
 * the node's pinned one is refused.
 */
class FrostSigningTest {
    private final SecureRandom random = new SecureRandom();
    private final SoftwareP256Signer coordinator = SoftwareP256Signer.generate(random);
    private final Map<String, SoftwareP256Signer> nodeKeys = new HashMap<>();
    private final List<FrostCallMessage> published = new ArrayList<>();
    private final Map<String, SigningNonces> live = new HashMap<>();
    private final byte[] message = "release 4.2.0".getBytes(StandardCharsets.UTF_8);
    private DealerSplit split;
    private Manifest manifest;
    private CanonicalRequest request;
    private FrostSigning signing;

    private void setUp() throws Exception {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        try (SecretScalar secret = Ed25519KeyImport.secretScalarOf(seed)) {
            split = TrustedDealer.split(secret, 3, 5, random);
        }
        FrostPublicKeys keys = FrostPublicKeys.of(split.publicKeyPackage());
        List<Holder> holders = new ArrayList<>();
        List<EnrolledNode> enrolled = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            SoftwareP256Signer node = SoftwareP256Signer.generate(random);
            nodeKeys.put("node-" + i, node);
            enrolled.add(EnrolledNode.of("node-" + i, "https://node-" + i, node.publicKey(),
                    SoftwareP256Signer.generate(random).publicKey()));
            holders.add(new Holder(i, "custodian-" + i, Ed25519.publicKeyOf(Ed25519.generatePrivateKey(random)),
                    "node-" + i, new ShareCommitment(i, new byte[32], "ab".repeat(32))));
        }
        manifest = new Manifest("signing-key", 1, KeyAlgorithm.ED25519, 3, holders,
                Kcv.ofPublicKey(keys.groupPublicKey()), keys);
        request = new CanonicalRequest("req-sign", Operation.SIGN, "signing-key", 1,
                new RequestParams.Sign(List.of(message)), "alice", "tag", Instant.parse("2026-12-05T12:00:00Z"),
                Instant.parse("2026-12-05T12:10:00Z"), new byte[16], coordinator.publicKey());
        signing = new FrostSigning(new NodeRegistry(enrolled), coordinator, published::add);
    }

    private FrostCommitmentMessage commit(int index, int attempt) throws Exception {
        KeyShare share = split.shares().get(index - 1);
        SigningNonces nonces = SigningNonces.generate(share, random);
        live.put(index + "/" + attempt, nonces);
        byte[] both = new byte[64];
        System.arraycopy(nonces.commitment().hiding().toBytes(), 0, both, 0, 32);
        System.arraycopy(nonces.commitment().binding().toBytes(), 0, both, 32, 32);
        String node = "node-" + index;
        byte[] statement = FrostStatements.commitment(request.requestId(), request.digest(), attempt, node, index,
                List.of(both));
        return new FrostCommitmentMessage(request.requestId(), request.digest(), attempt, node, index, List.of(both),
                nodeKeys.get(node).sign(statement));
    }

    private FrostShareMessage answer(FrostCallMessage call, int index, boolean lie) throws Exception {
        CoordinatorStatement.verify(coordinator.publicKey(), CoordinatorStatement.Kind.FROST_ROUND,
                call.bodyDigest(), call.coordinatorSignature());
        var list = FrostSigning.listFor(call, 0);
        byte[] z = FrostSigner.sign(split.shares().get(index - 1), live.remove(index + "/" + call.attempt()), list,
                message).value();
        if (lie) {
            z = split.shares().get(0).verificationShare().toBytes().clone(); // any other scalar-sized value
            z[31] &= 0x0f;
        }
        String node = "node-" + index;
        List<byte[]> digests = List.of(FrostStatements.sha256(list.encode()));
        byte[] statement = FrostStatements.signatureShare(request.requestId(), request.digest(), call.attempt(), node,
                index, digests, List.of(z));
        return new FrostShareMessage(request.requestId(), request.digest(), call.attempt(), node, index, digests,
                List.of(z), nodeKeys.get(node).sign(statement));
    }

    @Test
    void aLyingNodeIsNamed_andTheNextAttemptSignsWithoutIt() throws Exception {
        setUp();
        Instant now = Instant.parse("2026-12-05T12:01:00Z");
        for (int i = 1; i <= 5; i++) {
            signing.onCommitment(commit(i, 1), request, manifest);
        }
        assertNull(signing.step(request, manifest, now).signatures());
        FrostCallMessage call = published.get(0);
        assertEquals(List.of(1, 2, 3), call.signers().stream().map(FrostCommitmentMessage::index).toList());
        for (int i = 1; i <= 3; i++) {
            signing.onShare(answer(call, i, i == 2), request, manifest);
        }
        FrostSigning.Step named = signing.step(request, manifest, now);
        assertNull(named.signatures());
        assertNull(named.failure());
        assertEquals(1, named.named().size());
        assertEquals("node-2", named.named().get(0).nodeId());
        assertTrue(named.named().get(0).problem().contains("fails its verification share"), named.toString());
        FrostCallMessage again = published.get(1);
        assertEquals(2, again.attempt());
        assertTrue(again.signers().isEmpty(), "a call for fresh commitments");

        for (int i = 1; i <= 5; i++) {
            signing.onCommitment(commit(i, 2), request, manifest);
        }
        signing.step(request, manifest, now);
        FrostCallMessage second = published.get(2);
        assertEquals(List.of(1, 3, 4), second.signers().stream().map(FrostCommitmentMessage::index).toList(),
                "the liar is left out");
        for (int index : new int[] {1, 3, 4}) {
            signing.onShare(answer(second, index, false), request, manifest);
        }
        FrostSigning.Step done = signing.step(request, manifest, now);
        assertNotNull(done.signatures(), String.valueOf(done.failure()));
        Ed25519.verify(manifest.frost().groupPublicKey(), message, done.signatures().get(0));
    }

    @Test
    void tooManyLiars_failClearly_andForgedCommitmentsAreRefused() throws Exception {
        setUp();
        Instant now = Instant.parse("2026-12-05T12:01:00Z");
        FrostCommitmentMessage honest = commit(1, 1);
        FrostCommitmentMessage forged = new FrostCommitmentMessage(honest.requestId(), honest.requestDigest(), 1,
                "node-1", 1, honest.commitments(), nodeKeys.get("node-2").sign(honest.statement()));
        assertThrows(FrostSigning.BadInput.class, () -> signing.onCommitment(forged, request, manifest));
        FrostCommitmentMessage wrongNode = new FrostCommitmentMessage(honest.requestId(), honest.requestDigest(), 1,
                "node-2", 1, honest.commitments(), honest.signature());
        assertThrows(FrostSigning.BadInput.class, () -> signing.onCommitment(wrongNode, request, manifest));

        FrostSigning.Step step = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            for (int i = 1; i <= 5; i++) {
                signing.onCommitment(commit(i, attempt), request, manifest);
            }
            signing.step(request, manifest, now);
            FrostCallMessage call = published.get(published.size() - 1);
            for (FrostCommitmentMessage c : call.signers()) {
                // the first signer of every attempt lies
                signing.onShare(answer(call, c.index(), c == call.signers().get(0)), request, manifest);
            }
            step = signing.step(request, manifest, now);
            if (step.failure() != null) {
                break;
            }
        }
        assertNotNull(step.failure());
        assertTrue(step.failure().contains("2 holders left for a threshold of 3"), step.failure());
    }
}
