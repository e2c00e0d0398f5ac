package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * DKG round one: node {@code nodeId}'s package for participant {@code index} (the encoding of
 * {@code DkgRound1Package}: Feldman commitment and proof of knowledge), signed by the node's
 * identity key over {@link #statement()}.
 */
public record DkgPackageMessage(String ceremonyId, String nodeId, int index, byte[] pkg, byte[] signature) {
    public static final String FORMAT = "keyescrow-dkg-package-v1";

    public DkgPackageMessage {
        Identifiers.require(ceremonyId, "ceremony id");
        Identifiers.require(nodeId, "node id");
        DkgStatements.requireIndex(index);
        pkg = pkg.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] pkg() {
        return pkg.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The map key: one package per ceremony and participant. */
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
            throw new SignatureException("package " + key() + " does not come from participant " + holder.index()
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
        m.put("package", Base64.getEncoder().encodeToString(pkg));
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("signature", Base64.getEncoder().encodeToString(signature));
        return CanonicalJson.toBytes(m);
    }

    public static DkgPackageMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("dkg package", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "ceremonyId", "nodeId", "index", "package", "signature"));
        Messages.requireFormat(f, FORMAT);
        return new DkgPackageMessage(f.identifier("ceremonyId"), f.identifier("nodeId"),
                (int) f.integer("index", 1, DkgStatements.MAX_INDEX), f.base64("package", -1),
                f.base64("signature", 64));
    }
}
