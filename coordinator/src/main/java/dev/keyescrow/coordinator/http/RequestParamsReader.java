package dev.keyescrow.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyescrow.coordinator.ledger.RefusalReason;
import dev.keyescrow.coordinator.ledger.RefusedException;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.request.Operation;
import dev.keyescrow.core.request.RequestParams;
import dev.keyescrow.core.request.ReshareHolder;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.server.http.StrictJson;
import dev.keyescrow.server.http.StrictJson.BadJsonException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code params} of a request body, read as a tree: its members depend on the operation, which
 * is only known once the rest of the body is read. Read with {@link StrictJson}'s tree readers,
 * so just as strictly as the typed bodies; the refusals name {@code params.<member>} (the
 * contract the API tests check), which a typed read per operation would name differently.
 */
final class RequestParamsReader {
    private RequestParamsReader() {
    }

    static RequestParams params(Operation operation, JsonNode params) throws RefusedException {
        if (params == null || !params.isObject()) {
            throw new RefusedException(RefusalReason.MALFORMED, "params must be an object");
        }
        Set<String> names = new HashSet<>();
        for (Iterator<String> it = params.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        try {
            return switch (operation) {
                case USE -> {
                    exactly(names, "maxOperations", "sessionSeconds");
                    yield new RequestParams.Use(integer(params, "maxOperations"), integer(params, "sessionSeconds"));
                }
                case EXPORT -> {
                    exactly(names, "recipientPublicKey");
                    JsonNode key = params.get("recipientPublicKey");
                    if (!key.isTextual()) {
                        throw new RefusedException(RefusalReason.MALFORMED,
                                "params.recipientPublicKey must be a string");
                    }
                    byte[] point = Base64Fields.decode(key.asText(), "params.recipientPublicKey", 65);
                    EcdsaP256.fingerprint(point);
                    yield new RequestParams.Export(point);
                }
                case RESHARE -> {
                    exactly(names, "threshold", "holders");
                    int threshold = (int) StrictJson.integer(params, "params", "threshold", Integer.MIN_VALUE,
                            Integer.MAX_VALUE);
                    yield new RequestParams.Reshare(threshold, reshareHolders(params));
                }
                case SIGN -> {
                    exactly(names, "messages");
                    JsonNode list = params.get("messages");
                    if (!list.isArray()) {
                        throw new RefusedException(RefusalReason.MALFORMED, "params.messages must be an array");
                    }
                    List<byte[]> messages = new ArrayList<>();
                    for (JsonNode m : list) {
                        if (!m.isTextual()) {
                            throw new RefusedException(RefusalReason.MALFORMED,
                                    "params.messages[] must be base64 strings");
                        }
                        messages.add(Base64Fields.decode(m.asText(), "params.messages[]"));
                    }
                    yield new RequestParams.Sign(messages);
                }
                default -> {
                    exactly(names);
                    yield new RequestParams.None();
                }
            };
        } catch (BadJsonException e) {
            throw new RefusedException(RefusalReason.MALFORMED, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new RefusedException(RefusalReason.INVALID, "params: " + e.getMessage());
        } catch (KeyEscrowException e) {
            if (e instanceof RefusedException r) {
                throw r;
            }
            throw new RefusedException(RefusalReason.INVALID, "params.recipientPublicKey: " + e.getMessage());
        }
    }

    private static void exactly(Set<String> names, String... expected) throws RefusedException {
        Set<String> want = Set.of(expected);
        for (String n : names) {
            if (!want.contains(n)) {
                throw new RefusedException(RefusalReason.MALFORMED, "params: unknown field \"" + n + "\"");
            }
        }
        for (String w : want) {
            if (!names.contains(w)) {
                throw new RefusedException(RefusalReason.MALFORMED, "params: missing field \"" + w + "\"");
            }
        }
    }

    /** {@code params.holders}: an array of exactly {@code {custodianId, publicKey, nodeId}}, strings only. */
    private static List<ReshareHolder> reshareHolders(JsonNode params) throws BadJsonException, RefusedException {
        List<JsonNode> holders = StrictJson.array(params, "params", "holders");
        List<ReshareHolder> out = new ArrayList<>();
        for (int i = 0; i < holders.size(); i++) {
            JsonNode h = holders.get(i);
            String where = "params.holders[" + i + "]";
            if (!h.isObject() || h.size() != 3 || !h.path("custodianId").isTextual()
                    || !h.path("publicKey").isTextual() || !h.path("nodeId").isTextual()) {
                throw new RefusedException(RefusalReason.MALFORMED, where + " must be exactly {custodianId,"
                        + " publicKey, nodeId} with string values");
            }
            out.add(new ReshareHolder(h.get("custodianId").textValue(), Base64Fields.decode(
                    h.get("publicKey").textValue(), where + ".publicKey", Ed25519.PUBLIC_KEY_LENGTH),
                    h.get("nodeId").textValue()));
        }
        return out;
    }

    /** A count of {@code params}: an integer that canonical JSON can carry; its own range is the domain's to check. */
    private static long integer(JsonNode params, String name) throws BadJsonException {
        return StrictJson.integer(params, "params", name, -CanonicalJson.MAX_SAFE_INTEGER,
                CanonicalJson.MAX_SAFE_INTEGER);
    }

}
