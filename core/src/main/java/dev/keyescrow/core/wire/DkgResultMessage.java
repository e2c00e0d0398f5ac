package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.integrity.ShareCommitment;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The end of a DKG at one participant: its public verification share, the transcript digest it
 * computed, its share commitment (for the manifest's holder line) and its signing share in an
 * import envelope made for its own node's transport key — the coordinator relays that envelope
 * in a signed import like any share, and cannot open it. Signed by the node's identity key over
 * {@link #statement()}.
 */
public record DkgResultMessage(String ceremonyId, String nodeId, int index, byte[] verificationShare,
                               byte[] transcriptDigest, ShareCommitment commitment, byte[] envelope,
                               byte[] signature) {
    public static final String FORMAT = "keyescrow-dkg-result-v1";

    public DkgResultMessage {
        Identifiers.require(ceremonyId, "ceremony id");
        Identifiers.require(nodeId, "node id");
        DkgStatements.requireIndex(index);
        if (verificationShare.length != 32 || transcriptDigest.length != 32) {
            throw new IllegalArgumentException("verification share and transcript digest are 32 bytes");
        }
        if (commitment.index() != index) {
            throw new IllegalArgumentException("the commitment is of share " + commitment.index());
        }
        verificationShare = verificationShare.clone();
        transcriptDigest = transcriptDigest.clone();
        envelope = envelope.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] verificationShare() {
        return verificationShare.clone();
    }

    @Override
    public byte[] transcriptDigest() {
        return transcriptDigest.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The map key: one result per ceremony and participant. */
    public String key() {
        return ceremonyId + "/" + index;
    }

    /** The bytes the node signs. */
    public byte[] statement() {
        return DkgStatements.statement(FORMAT, body());
    }

    /** @throws SignatureException unless the holder's node signed this */
    public void verify(DkgHolder holder) throws SignatureException {
        if (holder.index() != index || !holder.nodeId().equals(nodeId)) {
            throw new SignatureException("result " + key() + " does not come from participant " + holder.index()
                    + "'s node " + holder.nodeId());
        }
        DkgStatements.verify(holder.identityKey(), statement(), signature);
    }

    private Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("ceremonyId", ceremonyId);
        m.put("nodeId", nodeId);
        m.put("index", index);
        m.put("verificationShare", Base64.getEncoder().encodeToString(verificationShare));
        m.put("transcriptDigest", HexFormat.of().formatHex(transcriptDigest));
        m.put("commitment", commitment.hex());
        m.put("salt", Base64.getEncoder().encodeToString(commitment.salt()));
        m.put("envelope", Base64.getEncoder().encodeToString(envelope));
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static DkgResultMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("dkg result", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "ceremonyId", "nodeId", "index", "verificationShare", "transcriptDigest",
                "commitment", "salt", "envelope", "signature"));
        Messages.requireFormat(f, FORMAT);
        try {
            int index = (int) f.integer("index", 1, DkgStatements.MAX_INDEX);
            return new DkgResultMessage(f.identifier("ceremonyId"), f.identifier("nodeId"), index,
                    f.base64("verificationShare", 32), HexFormat.of().parseHex(f.hex("transcriptDigest", 64)),
                    new ShareCommitment(index, f.base64("salt", ShareCommitment.SALT_LENGTH), f.hex("commitment", 64)),
                    f.base64("envelope", -1), f.base64("signature", 64));
        } catch (IllegalArgumentException e) {
            throw new FormatException("dkg result: " + e.getMessage());
        }
    }
}
