package dev.keyescrow.core.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The vectors of docs/spec/request.md, byte for byte. */
class RequestVectorsTest {
    static final HexFormat HEX = HexFormat.of();
    /** Coordinator key of the vectors: private scalar 0x01..0x20. */
    static final SoftwareP256Signer COORDINATOR = SoftwareP256Signer.fromPrivateKey(SecretBytes.copyFrom(bytes(1, 32)));
    /** Ephemeral public key of the vectors: the public key of private scalar 0x21..0x40. */
    static final byte[] EPHEMERAL = SoftwareP256Signer.fromPrivateKey(SecretBytes.copyFrom(bytes(33, 32))).publicKey();
    /** Custodian key of the vectors: Ed25519 seed 0x41..0x60. */
    static final SecretBytes CUSTODIAN = SecretBytes.copyFrom(bytes(65, 32));

    static byte[] bytes(int first, int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static CanonicalRequest useRequest() {
        return new CanonicalRequest("req-0001", Operation.USE, "payments-key", 1, new RequestParams.Use(10, 300),
                "alice", "Quarterly settlement run", Instant.parse("2026-11-28T12:00:00Z"),
                Instant.parse("2026-11-28T12:10:00Z"), bytes(0xA0, 16), EPHEMERAL);
    }

    @Test
    void useRequestVector() throws Exception {
        CanonicalRequest request = useRequest();
        String canonical = new String(request.canonicalJson(), StandardCharsets.UTF_8);
        assertEquals(SpecRequestVectors.USE_CANONICAL, canonical);
        assertEquals(SpecRequestVectors.USE_DIGEST, request.digest());
        assertEquals(request, CanonicalRequest.parse(request.canonicalJson()));

        byte[] signature = CoordinatorStatement.sign(COORDINATOR, CoordinatorStatement.Kind.REQUEST, request.digest());
        assertEquals(SpecRequestVectors.USE_COORDINATOR_SIGNATURE, HEX.formatHex(signature));
        CoordinatorStatement.verify(COORDINATOR.publicKey(), CoordinatorStatement.Kind.REQUEST, request.digest(),
                signature);
        assertThrows(SignatureException.class, () -> CoordinatorStatement.verify(COORDINATOR.publicKey(),
                CoordinatorStatement.Kind.MANIFEST, request.digest(), signature));

        Approval approval = Approval.sign(request, "custodian-1", Decision.APPROVE, CUSTODIAN);
        assertEquals("keyescrow-approval-v1\nreq-0001\n" + request.digest() + "\nAPPROVE\ncustodian-1",
                new String(Approval.statement("req-0001", request.digest(), Decision.APPROVE, "custodian-1"),
                        StandardCharsets.UTF_8));
        assertEquals(SpecRequestVectors.USE_APPROVAL_SIGNATURE, HEX.formatHex(approval.signature()));
        approval.verify(Ed25519.publicKeyOf(CUSTODIAN));
        Approval flipped = new Approval(approval.requestId(), approval.requestDigest(), approval.custodianId(),
                Decision.DENY, approval.signature());
        assertThrows(SignatureException.class, () -> flipped.verify(Ed25519.publicKeyOf(CUSTODIAN)));
    }

    @Test
    void reshareRequestVector_namesEachHoldersKeyAndNode() throws Exception {
        byte[] second = Ed25519.publicKeyOf(SecretBytes.copyFrom(bytes(0x61, 32)));
        CanonicalRequest request = new CanonicalRequest("req-0002", Operation.RESHARE, "payments-key", 1,
                new RequestParams.Reshare(2, List.of(
                        new ReshareHolder("custodian-1", Ed25519.publicKeyOf(CUSTODIAN), "node-1"),
                        new ReshareHolder("custodian-2", second, "node-2"))),
                "alice", "A smaller team", Instant.parse("2026-11-28T12:00:00Z"),
                Instant.parse("2026-11-28T12:10:00Z"), bytes(0xA0, 16), EPHEMERAL);
        assertEquals(SpecRequestVectors.RESHARE_CANONICAL, new String(request.canonicalJson(), StandardCharsets.UTF_8));
        assertEquals(SpecRequestVectors.RESHARE_DIGEST, request.digest());
        assertEquals(request, CanonicalRequest.parse(SpecRequestVectors.RESHARE_CANONICAL.getBytes(StandardCharsets.UTF_8)));
        // the revision-1 shape (ids only) is refused: approvals must cover keys and nodes
        String idsOnly = SpecRequestVectors.RESHARE_CANONICAL.replaceAll("\\{\"holders\":\\[.*\\],\"threshold\"",
                "{\"custodians\":[\"custodian-1\",\"custodian-2\"],\"threshold\"");
        assertThrows(FormatException.class, () -> CanonicalRequest.parse(idsOnly.getBytes(StandardCharsets.UTF_8)));
        // one key under two ids is refused
        assertThrows(IllegalArgumentException.class, () -> new RequestParams.Reshare(2, List.of(
                new ReshareHolder("custodian-1", second, "node-1"), new ReshareHolder("custodian-2", second, "node-2"))));
    }

    @Test
    void everyOperationRoundTrips() throws FormatException {
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        List<CanonicalRequest> requests = List.of(
                new CanonicalRequest("r1", Operation.EXPORT, "k", 2, new RequestParams.Export(EPHEMERAL), "bob", "lost",
                        t, t.plusSeconds(60), bytes(0, 16), EPHEMERAL),
                new CanonicalRequest("r2", Operation.RESHARE, "k", 2,
                        new RequestParams.Reshare(2, List.of(new ReshareHolder("c", bytes(1, 32), "n1"),
                                new ReshareHolder("a", bytes(2, 32), "n2"), new ReshareHolder("b", bytes(3, 32), "n1"))), "bob", "new team", t, t.plusSeconds(60),
                        bytes(0, 16), EPHEMERAL),
                new CanonicalRequest("r3", Operation.DESTROY, "k", 2, new RequestParams.None(), "bob", "retire", t,
                        t.plusSeconds(86400), bytes(0, 16), EPHEMERAL));
        for (CanonicalRequest r : requests) {
            assertEquals(r, CanonicalRequest.parse(r.canonicalJson()));
        }
    }

    @Test
    void parseRefusesWhatIsNotExactlyARequest() {
        String good = new String(useRequest().canonicalJson(), StandardCharsets.UTF_8);
        List<String> bad = List.of(
                good.replace("keyescrow-request-v1", "keyescrow-request-v2"),
                good.replace("{\"createdAt\"", "{\"color\":\"red\",\"createdAt\""),
                good + " ",
                good + "{}",
                good.replace("\"operation\":\"USE\"", "\"operation\":\"FLY\""),
                good.replace("\"operation\":\"USE\"", "\"operation\":\"DESTROY\""),
                good.replace("\"maxOperations\":10", "\"maxOperations\":0"),
                good.replace("2026-11-28T12:10:00Z", "2026-11-30T12:10:00Z"),
                good.replace("2026-11-28T12:10:00Z", "2026-11-28T12:10:00.5Z"),
                good.replace("\"requester\":\"alice\"", "\"requester\":\"Alice\""),
                good.replace(",\"requestId\"", ", \"requestId\""));
        for (String text : bad) {
            assertThrows(FormatException.class, () -> CanonicalRequest.parse(text.getBytes(StandardCharsets.UTF_8)),
                    text);
        }
    }

    @Test
    void ttlIsCappedAtOneDay() {
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CanonicalRequest("r",
                Operation.ROTATE, "k", 1, new RequestParams.None(), "bob", "x", t, t.plusSeconds(86401),
                bytes(0, 16), EPHEMERAL));
        assertTrue(e.getMessage().contains("24 h"));
        assertTrue(useRequest().isExpiredAt(Instant.parse("2026-11-28T12:10:00Z")));
        assertTrue(!useRequest().isExpiredAt(Instant.parse("2026-11-28T12:09:59Z")));
    }

    @Test
    void paramsMustFitTheOperation() {
        Instant t = Instant.parse("2026-11-28T12:00:00Z");
        assertThrows(IllegalArgumentException.class, () -> new CanonicalRequest("r", Operation.USE, "k", 1,
                new RequestParams.None(), "bob", "x", t, t.plusSeconds(60), bytes(0, 16), EPHEMERAL));
        assertArrayEquals(EPHEMERAL, useRequest().ephemeralPublicKey());
    }
}
