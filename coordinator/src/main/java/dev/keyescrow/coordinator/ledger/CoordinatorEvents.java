package dev.keyescrow.coordinator.ledger;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.policy.RequestState;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Journal encoding of {@link CoordinatorEvent}s: canonical JSON with an {@code event} member naming the type. */
public final class CoordinatorEvents {
    /** The journal record kind under which coordinator events are written. */
    public static final String KIND = "coordinator-event";

    private CoordinatorEvents() {
    }

    public static byte[] encode(CoordinatorEvent event) {
        Map<String, Object> m = event.toJson();
        m.put("event", event.type());
        return CanonicalJson.toBytes(m);
    }

    public static CoordinatorEvent decode(byte[] body) throws FormatException {
        JsonFields f = new JsonFields("coordinator event", CanonicalJsonParser.parseObject(body));
        String type = f.string("event");
        try {
            return switch (type) {
                case "custodian-registered" -> {
                    exactly(f, "custodianId", "publicKey", "nodeId");
                    yield new CoordinatorEvent.CustodianRegistered(f.identifier("custodianId"),
                            f.base64("publicKey", 32), f.identifier("nodeId"));
                }
                case "custodian-retired" -> {
                    exactly(f, "custodianId", "operator", "reason");
                    yield new CoordinatorEvent.CustodianRetired(f.identifier("custodianId"), f.identifier("operator"),
                            f.string("reason"));
                }
                case "ceremony-started" -> {
                    exactly(f, "manifest", "publicKey");
                    yield new CoordinatorEvent.CeremonyStarted(f.string("manifest"), f.base64("publicKey", -1));
                }
                case "receipt-verified" -> {
                    exactly(f, "keyId", "version", "index", "length", "nodeId", "envelopeDigest", "storedBlobDigest",
                            "signature");
                    yield new CoordinatorEvent.ReceiptVerified(f.identifier("keyId"), version(f),
                            (int) f.integer("index", 1, 255), (int) f.integer("length", 1, 65536),
                            f.identifier("nodeId"), f.hex("envelopeDigest", 64), f.hex("storedBlobDigest", 64),
                            f.base64("signature", 64));
                }
                case "ceremony-failed" -> {
                    exactly(f, "keyId", "version", "reason");
                    yield new CoordinatorEvent.CeremonyFailed(f.identifier("keyId"), version(f), f.string("reason"));
                }
                case "version-created" -> {
                    exactly(f, "keyId", "version", "coordinatorSignature");
                    yield new CoordinatorEvent.VersionCreated(f.identifier("keyId"), version(f),
                            f.base64("coordinatorSignature", 64));
                }
                case "countersigned" -> {
                    exactly(f, "keyId", "version", "custodianId", "signature");
                    yield new CoordinatorEvent.Countersigned(f.identifier("keyId"), version(f),
                            f.identifier("custodianId"), f.base64("signature", 64));
                }
                case "version-state" -> {
                    exactly(f, "keyId", "version", "state", "reason");
                    yield new CoordinatorEvent.VersionStateChanged(f.identifier("keyId"), version(f),
                            KeyState.valueOf(f.string("state")), f.string("reason"));
                }
                case "request-created" -> {
                    if (f.names().contains("sealedKey")) {
                        exactly(f, "canonical", "coordinatorSignature", "sealedKey");
                        yield new CoordinatorEvent.RequestCreated(f.string("canonical"),
                                f.base64("coordinatorSignature", 64), f.hex("sealedKey", 64), null);
                    }
                    // written before the sealed-key store: the envelope itself
                    exactly(f, "canonical", "coordinatorSignature", "ephemeralEnvelope");
                    yield new CoordinatorEvent.RequestCreated(f.string("canonical"),
                            f.base64("coordinatorSignature", 64), null, f.base64("ephemeralEnvelope", -1));
                }
                case "answer-counted" -> {
                    exactly(f, "nodeId", "requestId", "requestDigest", "custodianId", "decision", "signature");
                    yield new CoordinatorEvent.AnswerCounted(f.identifier("nodeId"), new Approval(
                            f.identifier("requestId"), f.hex("requestDigest", 64), f.identifier("custodianId"),
                            Decision.valueOf(f.string("decision")), f.base64("signature", 64)));
                }
                case "release-accepted" -> {
                    exactly(f, "requestId", "index", "nodeId", "wrappedDigest");
                    yield new CoordinatorEvent.ReleaseAccepted(f.identifier("requestId"),
                            (int) f.integer("index", 1, 255), f.identifier("nodeId"), f.hex("wrappedDigest", 64));
                }
                case "release-refused" -> {
                    exactly(f, "requestId", "index", "nodeId", "problem");
                    yield new CoordinatorEvent.ReleaseRefused(f.identifier("requestId"),
                            (int) f.integer("index", 1, 255), f.string("nodeId"), f.string("problem"));
                }
                case "signatures-made" -> {
                    exactly(f, "requestId", "signatures");
                    java.util.List<byte[]> signatures = new java.util.ArrayList<>();
                    for (Object o : f.array("signatures")) {
                        if (!(o instanceof String text) || text.length() != 88) {
                            throw new FormatException("signatures-made: each signature is 64 bytes in base64");
                        }
                        signatures.add(java.util.Base64.getDecoder().decode(text));
                    }
                    yield new CoordinatorEvent.SignaturesMade(f.identifier("requestId"), signatures);
                }
                case "request-state" -> {
                    exactly(f, "requestId", "state", "reason");
                    yield new CoordinatorEvent.RequestStateChanged(f.identifier("requestId"),
                            RequestState.valueOf(f.string("state")), f.string("reason"));
                }
                case "shred-verified" -> {
                    exactly(f, "requestId", "nodeId", "epoch", "destroyed", "signature");
                    yield new CoordinatorEvent.ShredVerified(f.identifier("requestId"), f.identifier("nodeId"),
                            f.integer("epoch", 1, 0xFFFF_FFFFL), destroyed(f), f.base64("signature", 64));
                }
                case "rollback-receipt-verified" -> {
                    // the old form (a shred statement) has no manifestDigest: replayed, never accepted again
                    boolean named = f.names().contains("manifestDigest");
                    if (named) {
                        exactly(f, "keyId", "version", "manifestDigest", "nodeId", "epoch", "destroyed", "signature");
                    } else {
                        exactly(f, "keyId", "version", "nodeId", "epoch", "destroyed", "signature");
                    }
                    yield new CoordinatorEvent.RollbackReceiptVerified(f.identifier("keyId"), version(f),
                            named ? f.hex("manifestDigest", 64) : null, f.identifier("nodeId"),
                            f.integer("epoch", 1, 0xFFFF_FFFFL), destroyed(f), f.base64("signature", 64));
                }
                default -> throw new FormatException("coordinator event: unknown type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new FormatException("coordinator event: " + e.getMessage());
        }
    }

    private static List<String> destroyed(JsonFields f) throws FormatException {
        List<String> destroyed = new ArrayList<>();
        for (Object o : f.array("destroyed")) {
            if (!(o instanceof String s)) {
                throw new FormatException("coordinator event: destroyed must hold strings");
            }
            destroyed.add(s);
        }
        return destroyed;
    }

    private static int version(JsonFields f) throws FormatException {
        return (int) f.integer("version", 1, Integer.MAX_VALUE);
    }

    private static void exactly(JsonFields f, String... names) throws FormatException {
        Set<String> all = new HashSet<>(List.of(names));
        all.add("event");
        f.requireExactly(all);
    }
}
