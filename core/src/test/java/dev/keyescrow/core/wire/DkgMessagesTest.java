package dev.keyescrow.core.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.frost.DkgComplaintException.Reason;
import dev.keyescrow.core.integrity.ShareCommitment;
import dev.keyescrow.core.signature.SoftwareP256Signer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The DKG messages of {@code docs/spec/cluster-messages.md} ("Distributed key generation"):
 * the statement bytes of the spec's example, byte for byte; every message round-trips; a
 * signature verifies only under the named participant's node key and only for its own round.
 */
class DkgMessagesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void theComplaintOfTheSpec_byteForByte() {
        DkgComplaintMessage m = new DkgComplaintMessage("dkg-00", "node-1", 1, 3, Reason.SHARE_MISMATCH,
                new byte[64]);
        String body = "{\"accused\":3,\"ceremonyId\":\"dkg-00\",\"format\":\"keyescrow-dkg-complaint-v1\","
                + "\"index\":1,\"nodeId\":\"node-1\",\"reason\":\"SHARE_MISMATCH\"}";
        assertEquals(127, body.length());
        assertEquals("keyescrow-dkg-complaint-v1\n"
                + "ff9a41393057ff7c8d7d8806933c009b9a43813c86e96fc99e8efa3ccff586d7",
                new String(m.statement(), StandardCharsets.US_ASCII));
        assertEquals(body.substring(0, body.length() - 1) + ",\"signature\":\"" + "A".repeat(86) + "==\"}",
                new String(m.encode(), StandardCharsets.UTF_8));
    }

    @Test
    void everyMessageRoundTrips_andVerifiesOnlyUnderItsNodeForItsRound() throws Exception {
        SoftwareP256Signer node = SoftwareP256Signer.generate(RANDOM);
        SoftwareP256Signer other = SoftwareP256Signer.generate(RANDOM);
        DkgHolder one = new DkgHolder(1, "node-1", node.publicKey(), other.publicKey());
        DkgHolder two = new DkgHolder(2, "node-2", other.publicKey(), node.publicKey());
        DkgCallMessage call = new DkgCallMessage("dkg-01", "dkg-key", 1, 2, Instant.parse("2030-01-01T00:00:00Z"),
                List.of(one, two), new byte[64]);
        assertEquals(call, DkgCallMessage.decode(call.encode()));
        assertEquals("dkg-01", call.context().requestId());

        DkgPackageMessage pkg = new DkgPackageMessage("dkg-01", "node-1", 1, new byte[] {1, 2, 3}, new byte[64]);
        DkgPackageMessage signedPkg = new DkgPackageMessage("dkg-01", "node-1", 1, pkg.pkg(),
                node.sign(pkg.statement()));
        DkgPackageMessage back = DkgPackageMessage.decode(signedPkg.encode());
        assertArrayEquals(signedPkg.encode(), back.encode());
        back.verify(one);
        assertThrows(SignatureException.class, () -> back.verify(two), "another participant's node");

        DkgShareMessage share = new DkgShareMessage("dkg-01", "node-1", 1, 2, new byte[] {9}, new byte[64]);
        byte[] sameDigestOtherRound = node.sign(share.statement());
        assertArrayEquals(share.encode(), DkgShareMessage.decode(share.encode()).encode());
        DkgShareMessage signedShare = new DkgShareMessage("dkg-01", "node-1", 1, 2, new byte[] {9},
                sameDigestOtherRound);
        signedShare.verify(one);

        DkgResultMessage result = new DkgResultMessage("dkg-01", "node-1", 1, new byte[32], new byte[32],
                new ShareCommitment(1, new byte[32], "ab".repeat(32)), new byte[] {7}, sameDigestOtherRound);
        assertArrayEquals(result.encode(), DkgResultMessage.decode(result.encode()).encode());
        assertThrows(SignatureException.class, () -> result.verify(one), "a share's signature is no result's");

        DkgComplaintMessage complaint = new DkgComplaintMessage("dkg-01", "node-2", 2, 1, Reason.INVALID_PROOF,
                other.sign(new DkgComplaintMessage("dkg-01", "node-2", 2, 1, Reason.INVALID_PROOF, new byte[64])
                        .statement()));
        DkgComplaintMessage.decode(complaint.encode()).verify(two);
    }

    @Test
    void malformedMessagesAreRefused() {
        assertThrows(FormatException.class, () -> DkgComplaintMessage.decode(("{\"accused\":3,\"ceremonyId\":"
                + "\"dkg-00\",\"format\":\"keyescrow-dkg-complaint-v1\",\"index\":1,\"nodeId\":\"node-1\","
                + "\"reason\":\"BECAUSE\",\"signature\":\"" + "A".repeat(86) + "==\"}").getBytes(StandardCharsets.UTF_8)));
        assertThrows(FormatException.class, () -> DkgShareMessage.decode(("{\"ceremonyId\":\"dkg-00\",\"envelope\":"
                + "\"AA==\",\"format\":\"keyescrow-dkg-share-v1\",\"nodeId\":\"node-1\",\"recipient\":1,\"sender\":1,"
                + "\"signature\":\"" + "A".repeat(86) + "==\"}").getBytes(StandardCharsets.UTF_8)),
                "a participant never sends to itself");
        assertThrows(FormatException.class, () -> DkgPackageMessage.decode(new DkgComplaintMessage("dkg-00",
                "node-1", 1, 3, Reason.SHARE_MISMATCH, new byte[64]).encode()), "another round's format");
    }
}
