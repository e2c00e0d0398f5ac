package dev.keyescrow.node;

import dev.keyescrow.core.integrity.Holder;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.CanonicalRequest;
import dev.keyescrow.core.request.CoordinatorStatement;
import dev.keyescrow.core.request.CoordinatorStatement.Kind;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.node.approval.NodeEvent;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixture: what a coordinator and custodians produce at a ceremony — a signed,
 * countersigned manifest of a 3-of-5 key whose shares 1 and 2 sit on {@code node-a}, the
 * others elsewhere — and signed requests and answers for it. Real keys and signatures.
 */
public final class Ceremony {
    public static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    public final SoftwareP256Signer coordinator;
    public final List<SecretBytes> custodianKeys = new ArrayList<>();
    public final Manifest manifest;
    private final SecureRandom random;

    public Ceremony(SecureRandom random, String keyId) throws Exception {
        this(random, keyId, false);
    }

    /**
     * With {@code frost}, the key is a FROST key (Ed25519, shares dealt by RFC 9591's trusted
     * dealer from a random scalar): the manifest pins its group key and verification shares.
     */
    public Ceremony(SecureRandom random, String keyId, boolean frost) throws Exception {
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
        if (frost) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            try (dev.keyescrow.core.frost.SecretScalar secret =
                         dev.keyescrow.core.frost.Ed25519KeyImport.secretScalarOf(seed);
                 dev.keyescrow.core.frost.DealerSplit split =
                         dev.keyescrow.core.frost.TrustedDealer.split(secret, 3, 5, random)) {
                dev.keyescrow.core.integrity.FrostPublicKeys keys =
                        dev.keyescrow.core.integrity.FrostPublicKeys.of(split.publicKeyPackage());
                manifest = new Manifest(keyId, 1, KeyAlgorithm.ED25519, 3, holders,
                        Kcv.ofPublicKey(keys.groupPublicKey()), keys);
            }
        } else {
            manifest = new Manifest(keyId, 1, KeyAlgorithm.AES_256, 3, holders, new Kcv("123abc"));
        }
    }

    public NodeEvent.ManifestAdmitted manifestEvent() throws Exception {
        return new NodeEvent.ManifestAdmitted(new String(manifest.canonicalJson(), StandardCharsets.UTF_8),
                CoordinatorStatement.sign(coordinator, Kind.MANIFEST, manifest.digest()));
    }

    public NodeEvent.Countersigned countersignature(int custodian) {
        String id = "custodian-" + custodian;
        return new NodeEvent.Countersigned(manifest.keyId(), 1, id,
                Ed25519.sign(custodianKeys.get(custodian - 1), manifest.countersignatureStatement(id)));
    }

    /**
     * A held-share event with placeholder blob and receipt values, for tests of the ledger's
     * rules (which never interpret them); the vault tests use real tokens.
     */
    public static NodeEvent.ShareHeld held(String keyId, int version, int index) {
        return new NodeEvent.ShareHeld(keyId, version, index, 32, "0".repeat(63) + index, "ee".repeat(32),
                "dd".repeat(32), new byte[64]);
    }

    /** A release event with placeholder bytes, for tests of the ledger's rules. */
    public static NodeEvent.ShareReleased released(String requestId, int index) {
        return new NodeEvent.ShareReleased(requestId, index, new byte[40], new byte[64]);
    }

    public CanonicalRequest request(String requestId, Operation operation, RequestParams params) {
        return request(requestId, operation, params, SoftwareP256Signer.generate(random).publicKey());
    }

    /** A request whose ephemeral public key is {@code ephemeralPublicKey} (the caller keeps the private half). */
    public CanonicalRequest request(String requestId, Operation operation, RequestParams params,
                                    byte[] ephemeralPublicKey) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        return new CanonicalRequest(requestId, operation, manifest.keyId(), 1, params, "alice", "testing", NOW,
                NOW.plusSeconds(600), nonce, ephemeralPublicKey);
    }

    public CanonicalRequest useRequest(String requestId) {
        return request(requestId, Operation.USE, new RequestParams.Use(5, 60));
    }

    public NodeEvent.RequestAdmitted requestEvent(CanonicalRequest request) throws Exception {
        return new NodeEvent.RequestAdmitted(new String(request.canonicalJson(), StandardCharsets.UTF_8),
                CoordinatorStatement.sign(coordinator, Kind.REQUEST, request.digest()));
    }

    public Approval answer(CanonicalRequest request, int custodian, Decision decision) {
        return Approval.sign(request, "custodian-" + custodian, decision, custodianKeys.get(custodian - 1));
    }
}
