package dev.keyescrow.bench.restart;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.approval.NodeEvent;
import dev.keyescrow.node.approval.NodeEvents;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The events of a node's history, as its journal bodies: one key version (5 custodians, t = 3,
 * two shares on this node), then for each request its admission and {@code answers} APPROVE
 * answers from custodians 3, 4, 5 (given at other nodes), each signed for real, because a
 * replay verifies every answer.
 */
final class NodeHistory {
    static final Instant CREATED = Instant.parse("2026-11-28T12:00:00Z");
    final SoftwareP256Signer coordinator;
    private final List<SecretBytes> custodianKeys = new ArrayList<>();
    private final Manifest manifest;
    private final SecureRandom random;

    NodeHistory(SecureRandom random) throws Exception {
        this.random = random;
        coordinator = SoftwareP256Signer.generate(random);
        String[] nodes = {"node-a", "node-a", "node-b", "node-c", "node-d"};
        List<Holder> holders = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            SecretBytes key = Ed25519.generatePrivateKey(random);
            custodianKeys.add(key);
            byte[] salt = new byte[32];
            random.nextBytes(salt);
            holders.add(new Holder(i, "custodian-" + i, Ed25519.publicKeyOf(key), nodes[i - 1],
                    new ShareCommitment(i, salt, "ab".repeat(32))));
        }
        manifest = new Manifest("bench-key", 1, KeyAlgorithm.AES_256, 3, holders, new Kcv("123abc"));
    }

    /** The bodies before the first request: manifest, 5 countersignatures, 2 held shares. */
    List<byte[]> setup() throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(NodeEvents.encode(new NodeEvent.ManifestAdmitted(new String(manifest.canonicalJson(),
                StandardCharsets.UTF_8), CoordinatorStatement.sign(coordinator, CoordinatorStatement.Kind.MANIFEST,
                manifest.digest()))));
        for (int c = 1; c <= 5; c++) {
            String id = "custodian-" + c;
            bodies.add(NodeEvents.encode(new NodeEvent.Countersigned("bench-key", 1, id,
                    Ed25519.sign(custodianKeys.get(c - 1), manifest.countersignatureStatement(id)))));
        }
        for (int index = 1; index <= 2; index++) {
            bodies.add(NodeEvents.encode(new NodeEvent.ShareHeld("bench-key", 1, index, 32,
                    "0".repeat(63) + index, "ee".repeat(32), "dd".repeat(32), new byte[64])));
        }
        return bodies;
    }

    /** The bodies of request {@code n}: its admission and {@code answers} approvals (at most 3). */
    List<byte[]> request(int n, int answers) throws Exception {
        byte[] nonce = new byte[16];
        byte[] ephemeral;
        synchronized (random) {
            random.nextBytes(nonce);
        }
        ephemeral = SoftwareP256Signer.generate(new SecureRandom()).publicKey();
        CanonicalRequest request = new CanonicalRequest("req-" + n, Operation.USE, "bench-key", 1,
                new RequestParams.Use(5, 60), "alice", "benchmark", CREATED, CREATED.plusSeconds(600), nonce,
                ephemeral);
        List<byte[]> bodies = new ArrayList<>();
        bodies.add(NodeEvents.encode(new NodeEvent.RequestAdmitted(new String(request.canonicalJson(),
                StandardCharsets.UTF_8), CoordinatorStatement.sign(coordinator, CoordinatorStatement.Kind.REQUEST,
                request.digest()))));
        for (int c = 3; c < 3 + answers; c++) {
            Approval approval = Approval.sign(request, "custodian-" + c, Decision.APPROVE, custodianKeys.get(c - 1));
            bodies.add(NodeEvents.encode(new NodeEvent.AnswerAccepted(approval, false)));
        }
        return bodies;
    }
}
