package dev.keyescrow.node.approval;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import dev.keyescrow.core.request.Approval;
import dev.keyescrow.core.request.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Journal encoding of {@link NodeEvent}s: canonical JSON with an {@code event} member naming the type. */
public final class NodeEvents {
    /** The journal record kind under which node events are written. */
    public static final String KIND = "node-event";

    private NodeEvents() {
    }

    private static List<String> strings(List<Object> values) throws FormatException {
        List<String> out = new ArrayList<>();
        for (Object v : values) {
            if (!(v instanceof String s)) {
                throw new FormatException("node event: expected a list of strings");
            }
            out.add(s);
        }
        return out;
    }

    public static byte[] encode(NodeEvent event) {
        return CanonicalJson.toBytes(event.toJson());
    }

    public static NodeEvent decode(byte[] body) throws FormatException {
        JsonFields f = new JsonFields("node event", CanonicalJsonParser.parseObject(body));
        String type = f.string("event");
        try {
            return switch (type) {
                case "manifest-admitted" -> {
                    f.requireExactly(Set.of("event", "canonical", "coordinatorSignature"));
                    yield new NodeEvent.ManifestAdmitted(f.string("canonical"), f.base64("coordinatorSignature", 64));
                }
                case "countersigned" -> {
                    f.requireExactly(Set.of("event", "keyId", "version", "custodianId", "signature"));
                    yield new NodeEvent.Countersigned(f.identifier("keyId"), (int) f.integer("version", 1,
                            Integer.MAX_VALUE), f.identifier("custodianId"), f.base64("signature", 64));
                }
                case "share-held" -> {
                    f.requireExactly(Set.of("event", "keyId", "version", "index", "length", "blobId",
                            "envelopeDigest", "storedBlobDigest", "receiptSignature"));
                    yield new NodeEvent.ShareHeld(f.identifier("keyId"), (int) f.integer("version", 1,
                            Integer.MAX_VALUE), (int) f.integer("index", 1, 255), (int) f.integer("length", 1, 65536),
                            f.hex("blobId", 64), f.hex("envelopeDigest", 64), f.hex("storedBlobDigest", 64),
                            f.base64("receiptSignature", 64));
                }
                case "request-admitted" -> {
                    f.requireExactly(Set.of("event", "canonical", "coordinatorSignature"));
                    yield new NodeEvent.RequestAdmitted(f.string("canonical"), f.base64("coordinatorSignature", 64));
                }
                case "answer-accepted" -> {
                    f.requireExactly(Set.of("event", "requestId", "requestDigest", "custodianId", "decision",
                            "signature", "origin"));
                    String origin = f.string("origin");
                    if (!origin.equals("local") && !origin.equals("cluster")) {
                        throw new FormatException("node event: origin must be local or cluster");
                    }
                    yield new NodeEvent.AnswerAccepted(new Approval(f.identifier("requestId"),
                            f.hex("requestDigest", 64), f.identifier("custodianId"),
                            Decision.valueOf(f.string("decision")), f.base64("signature", 64)),
                            origin.equals("local"));
                }
                case "share-released" -> {
                    f.requireExactly(Set.of("event", "requestId", "index", "wrapped", "signature"));
                    yield new NodeEvent.ShareReleased(f.identifier("requestId"), (int) f.integer("index", 1, 255),
                            f.base64("wrapped", -1), f.base64("signature", 64));
                }
                case "shares-rotated" -> {
                    f.requireExactly(Set.of("event", "requestId", "epoch", "newBlobIds", "destroyed"));
                    JsonFields blobs = f.object("newBlobIds");
                    Map<String, String> newBlobIds = new TreeMap<>();
                    for (String share : blobs.names()) {
                        newBlobIds.put(share, blobs.hex(share, 64));
                    }
                    yield new NodeEvent.SharesRotated(f.identifier("requestId"), f.integer("epoch", 1, 0xFFFF_FFFFL),
                            newBlobIds, strings(f.array("destroyed")));
                }
                case "frost-committed" -> {
                    f.requireExactly(Set.of("event", "message"));
                    yield new NodeEvent.FrostCommitted(f.string("message"));
                }
                case "frost-signed" -> {
                    f.requireExactly(Set.of("event", "message"));
                    yield new NodeEvent.FrostSigned(f.string("message"));
                }
                case "request-cancelled" -> {
                    f.requireExactly(Set.of("event", "requestId", "coordinatorSignature"));
                    yield new NodeEvent.RequestCancelled(f.identifier("requestId"), f.base64("coordinatorSignature", 64));
                }
                case "shred-completed" -> {
                    f.requireExactly(Set.of("event", "requestId", "epoch", "destroyed", "signature"));
                    yield new NodeEvent.ShredCompleted(f.identifier("requestId"), f.integer("epoch", 1, 0xFFFF_FFFFL),
                            strings(f.array("destroyed")), f.base64("signature", 64));
                }
                case "rollback-receipted" -> {
                    f.requireExactly(Set.of("event", "message"));
                    NodeEvent.RollbackReceipted r = new NodeEvent.RollbackReceipted(f.string("message"));
                    r.receipt();
                    yield r;
                }
                case "ceremony-rolled-back" -> {
                    f.requireExactly(Set.of("event", "keyId", "version", "manifestDigest", "coordinatorSignature"));
                    yield new NodeEvent.CeremonyRolledBack(f.identifier("keyId"), (int) f.integer("version", 1,
                            Integer.MAX_VALUE), f.hex("manifestDigest", 64), f.base64("coordinatorSignature", 64));
                }
                default -> throw new FormatException("node event: unknown type " + type);
            };
        } catch (IllegalArgumentException e) {
            throw new FormatException("node event: " + e.getMessage());
        }
    }
}
