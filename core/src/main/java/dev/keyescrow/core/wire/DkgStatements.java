package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.signature.EcdsaP256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * What a node signs for a DKG message ({@code docs/spec/cluster-messages.md}, "Distributed key
 * generation"): the UTF-8 bytes of {@code <format>\n<SHA-256 hex of the canonical JSON body>},
 * the body being the message without its signature. The format names the round, so a
 * round-one package never passes as a round-two share, a result or a complaint, nor as any
 * other statement a node signs (those start with other labels).
 */
public final class DkgStatements {
    /** Participants of one DKG: as many as a manifest's holders. */
    public static final int MAX_INDEX = 255;

    private DkgStatements() {
    }

    static byte[] statement(String format, Map<String, Object> body) {
        String digest = HexFormat.of().formatHex(FrostStatements.sha256(CanonicalJson.toBytes(body)));
        return (format + "\n" + digest).getBytes(StandardCharsets.US_ASCII);
    }

    /** @throws SignatureException unless {@code signature} is the node's over the message's statement */
    static void verify(byte[] nodeIdentityKey, byte[] statement, byte[] signature) throws SignatureException {
        EcdsaP256.verify(nodeIdentityKey, statement, signature);
    }

    static void requireIndex(int index) {
        if (index < 1 || index > MAX_INDEX) {
            throw new IllegalArgumentException("participant index " + index + " is not in 1.." + MAX_INDEX);
        }
    }
}
