package dev.keyescrow.core.wire;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.JsonFields;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The coordinator's call for a round of a SIGN request, signed by the coordinator
 * ({@code CoordinatorStatement} kind {@code frost-round} over SHA-256 of {@link #body()}):
 * with no signers, "commit for attempt {@code attempt}" (a retry after a failed attempt; the
 * first attempt needs no call); with signers, round two of that attempt over exactly these
 * commitments, each as its node published and signed it, sorted by share index.
 */
public record FrostCallMessage(String requestId, String requestDigest, int attempt,
                               List<FrostCommitmentMessage> signers, byte[] coordinatorSignature) {
    public static final String FORMAT = "keyescrow-frost-call-v1";

    public FrostCallMessage {
        Identifiers.require(requestId, "request id");
        FrostStatements.requireDigest(requestDigest);
        FrostStatements.requireAttempt(attempt);
        signers = List.copyOf(signers);
        Set<Integer> indices = new HashSet<>();
        int last = 0;
        for (FrostCommitmentMessage c : signers) {
            if (!c.requestId().equals(requestId) || !c.requestDigest().equals(requestDigest) || c.attempt() != attempt) {
                throw new IllegalArgumentException("a signer's commitment belongs to another request or attempt");
            }
            if (c.index() <= last || !indices.add(c.index())) {
                throw new IllegalArgumentException("signers must be sorted by share index, without repeats");
            }
            last = c.index();
            if (c.commitments().size() != signers.get(0).commitments().size()) {
                throw new IllegalArgumentException("every signer commits to the same number of messages");
            }
        }
        coordinatorSignature = coordinatorSignature.clone();
    }

    @Override
    public byte[] coordinatorSignature() {
        return coordinatorSignature.clone();
    }

    /** Whether this calls for round two (else for round one of a new attempt). */
    public boolean isRoundTwo() {
        return !signers.isEmpty();
    }

    /** The map key: one call per request, attempt and round. */
    public String key() {
        return requestId + "/" + attempt + "/" + (isRoundTwo() ? "sign" : "commit");
    }

    /** SHA-256 of the body, hex: what the coordinator signs. */
    public String bodyDigest() {
        return java.util.HexFormat.of().formatHex(FrostStatements.sha256(CanonicalJson.toBytes(body())));
    }

    /** The signed part: everything but the coordinator's signature. */
    public Map<String, Object> body() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("requestId", requestId);
        m.put("requestDigest", requestDigest);
        m.put("attempt", attempt);
        List<Object> list = new ArrayList<>();
        for (FrostCommitmentMessage c : signers) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("nodeId", c.nodeId());
            s.put("index", c.index());
            List<Object> commitments = new ArrayList<>();
            c.commitments().forEach(x -> commitments.add(Base64.getEncoder().encodeToString(x)));
            s.put("commitments", commitments);
            s.put("signature", Base64.getEncoder().encodeToString(c.signature()));
            list.add(s);
        }
        m.put("signers", list);
        return m;
    }

    public byte[] encode() {
        Map<String, Object> m = body();
        m.put("coordinatorSignature", Base64.getEncoder().encodeToString(coordinatorSignature));
        return CanonicalJson.toBytes(m);
    }

    public static FrostCallMessage decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("frost call", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "requestId", "requestDigest", "attempt", "signers", "coordinatorSignature"));
        Messages.requireFormat(f, FORMAT);
        try {
            String requestId = f.identifier("requestId");
            String digest = f.hex("requestDigest", 64);
            int attempt = (int) f.integer("attempt", 1, FrostStatements.MAX_ATTEMPTS);
            List<FrostCommitmentMessage> signers = new ArrayList<>();
            for (Object o : f.array("signers")) {
                JsonFields s = JsonFields.element("frost call signer", o);
                s.requireExactly(Set.of("nodeId", "index", "commitments", "signature"));
                signers.add(new FrostCommitmentMessage(requestId, digest, attempt, s.identifier("nodeId"),
                        (int) s.integer("index", 1, 255), FrostStatements.readCommitments(s, "commitments"),
                        s.base64("signature", -1)));
            }
            return new FrostCallMessage(requestId, digest, attempt, signers, f.base64("coordinatorSignature", -1));
        } catch (IllegalArgumentException e) {
            throw new FormatException("frost call: " + e.getMessage());
        }
    }
}
