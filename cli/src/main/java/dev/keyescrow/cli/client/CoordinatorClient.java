package dev.keyescrow.cli.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The coordinator API (design: Contract: HTTP API), as an operator calls it. */
public final class CoordinatorClient {
    private final JsonHttp http;

    /** @param operatorToken the bearer token, or null for the calls that need none */
    public CoordinatorClient(String url, String operatorToken) {
        this(url, operatorToken, TlsTrust.systemDefault());
    }

    /** @param trust the TLS servers trusted ({@code --ca-file}, {@code --tls-pin}) */
    public CoordinatorClient(String url, String operatorToken, TlsTrust trust) {
        this.http = new JsonHttp(url, operatorToken, trust);
    }

    public JsonObject health() throws ApiException {
        return http.object("GET", "/v1/health", null, false);
    }

    public JsonArray nodes() throws ApiException {
        return http.array("/v1/nodes", true);
    }

    public JsonObject registerCustodian(String id, String publicKey, String nodeId) throws ApiException {
        return http.object("POST", "/v1/custodians", new JsonObject().put("id", id).put("publicKey", publicKey)
                .put("nodeId", nodeId), true);
    }

    public JsonObject createKey(String name, String algorithm, int threshold, JsonArray custodians)
            throws ApiException {
        return http.object("POST", "/v1/keys", new JsonObject().put("name", name).put("algorithm", algorithm)
                .put("threshold", threshold).put("custodians", custodians), true);
    }

    /** As above with a scheme: FROST makes an Ed25519 key by distributed key generation among the nodes. */
    public JsonObject createKey(String name, String algorithm, int threshold, JsonArray custodians, String scheme)
            throws ApiException {
        JsonObject body = new JsonObject().put("name", name).put("algorithm", algorithm).put("threshold", threshold)
                .put("custodians", custodians);
        if (!"SHAMIR".equals(scheme)) {
            body.put("scheme", scheme);
        }
        return http.object("POST", "/v1/keys", body, true);
    }

    /** Every key: follows the pages of {@code GET /v1/keys} to the last. */
    public JsonArray keys() throws ApiException {
        JsonArray all = new JsonArray();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String path = "/v1/keys";
        while (path != null) {
            if (!seen.add(path)) {
                throw new ApiException(0, "GET /v1/keys: the server sent the same next page twice");
            }
            JsonHttp.Page page = http.page(path, true);
            all.addAll(page.items());
            path = page.next().orElse(null);
        }
        return all;
    }

    /** One page of keys: {@code path} is {@code /v1/keys?limit=N} or the previous page's {@code next}. */
    public KeyPage keysPage(String path) throws ApiException {
        JsonHttp.Page page = http.page(path, true);
        return new KeyPage(page.items(), page.next());
    }

    public JsonArray custodians() throws ApiException {
        return http.array("/v1/custodians", true);
    }

    /**
     * RESHARE's {@code holders} for the registered custodians {@code ids}: each with the key
     * and node the registry holds, which the request then fixes for the approving custodians.
     *
     * @throws ApiException if an id is not registered
     */
    public JsonArray reshareHolders(List<String> ids) throws ApiException {
        JsonArray registered = custodians();
        JsonArray holders = new JsonArray();
        for (String id : ids) {
            JsonObject c = registered.stream().map(JsonObject.class::cast).filter(o -> id.equals(o.getString("id")))
                    .findFirst().orElseThrow(() -> new ApiException(400, "custodian " + id + " is not registered"));
            holders.add(new JsonObject().put("custodianId", id).put("publicKey", c.getString("publicKey"))
                    .put("nodeId", c.getString("nodeId")));
        }
        return holders;
    }

    /** The coordinator's public description: its id and transport public key. */
    public JsonObject coordinator() throws ApiException {
        return http.object("GET", "/v1/coordinator", null, false);
    }

    public JsonObject importKey(String name, String algorithm, int threshold, JsonArray custodians, String envelope,
                                String kcv) throws ApiException {
        return importKey(name, algorithm, "SHAMIR", threshold, custodians, envelope, kcv);
    }

    /** As above, shared by {@code scheme}: SHAMIR or FROST (ED25519 only; the key then only signs by quorum). */
    public JsonObject importKey(String name, String algorithm, String scheme, int threshold, JsonArray custodians,
                                String envelope, String kcv) throws ApiException {
        JsonObject body = new JsonObject().put("name", name).put("algorithm", algorithm).put("threshold", threshold)
                .put("custodians", custodians).put("envelope", envelope);
        if (!"SHAMIR".equals(scheme)) {
            body.put("scheme", scheme);
        }
        if (kcv != null) {
            body.put("kcv", kcv);
        }
        return http.object("POST", "/v1/keys/import", body, true);
    }

    public JsonObject key(String keyId) throws ApiException {
        return http.object("GET", "/v1/keys/" + keyId, null, true);
    }

    public JsonObject manifest(String keyId, int version) throws ApiException {
        return http.object("GET", "/v1/keys/" + keyId + "/versions/" + version + "/manifest", null, false);
    }

    public JsonObject countersign(String keyId, int version, String custodianId, String signature)
            throws ApiException {
        return http.object("POST", "/v1/keys/" + keyId + "/versions/" + version + "/countersignatures",
                new JsonObject().put("custodianId", custodianId).put("signature", signature), false);
    }

    public JsonObject createRequest(String keyId, String operation, String reason, int ttlSeconds, JsonObject params)
            throws ApiException {
        return http.object("POST", "/v1/keys/" + keyId + "/requests", new JsonObject().put("operation", operation)
                .put("reason", reason).put("ttlSeconds", ttlSeconds).put("params", params), true);
    }

    /** A request for a given key version (an extension of the contract: by default the ACTIVE version). */
    public JsonObject createRequest(String keyId, String operation, String reason, int ttlSeconds, JsonObject params,
                                    int version) throws ApiException {
        return http.object("POST", "/v1/keys/" + keyId + "/requests", new JsonObject().put("operation", operation)
                .put("reason", reason).put("ttlSeconds", ttlSeconds).put("params", params).put("version", version),
                true);
    }

    public JsonArray requests() throws ApiException {
        return http.array("/v1/requests", true);
    }

    public JsonObject request(String requestId) throws ApiException {
        return http.object("GET", "/v1/requests/" + requestId, null, true);
    }

    /** A long poll: the request's view once its state is no longer {@code state}, or after {@code waitSeconds}. */
    public JsonObject requestChangedFrom(String requestId, String state, int waitSeconds) throws ApiException {
        return http.object("GET", "/v1/requests/" + requestId + "?changedFrom=" + state + "&wait=" + waitSeconds,
                null, true);
    }

    public JsonObject cancel(String requestId) throws ApiException {
        return http.object("POST", "/v1/requests/" + requestId + "/cancel", new JsonObject(), true);
    }

    public JsonObject encrypt(String requestId, String plaintext, String aad) throws ApiException {
        JsonObject body = new JsonObject().put("plaintext", plaintext);
        if (aad != null) {
            body.put("aad", aad);
        }
        return http.object("POST", "/v1/requests/" + requestId + "/encrypt", body, true);
    }

    public JsonObject decrypt(String requestId, String ciphertext, String aad) throws ApiException {
        JsonObject body = new JsonObject().put("ciphertext", ciphertext);
        if (aad != null) {
            body.put("aad", aad);
        }
        return http.object("POST", "/v1/requests/" + requestId + "/decrypt", body, true);
    }

    public JsonObject sign(String requestId, String message) throws ApiException {
        return http.object("POST", "/v1/requests/" + requestId + "/sign", new JsonObject().put("message", message),
                true);
    }

    /**
     * Takes the export bundle of an approved EXPORT request (delivered once, to its requester):
     * its canonical JSON exactly as the coordinator sent it.
     */
    public String export(String requestId) throws ApiException {
        return http.text("POST", "/v1/requests/" + requestId + "/export", new JsonObject(), true);
    }

    public JsonObject auditVerify() throws ApiException {
        return http.object("GET", "/v1/audit/verify", null, true);
    }

    /** The coordinator verifies its journal and whether it holds the record {@code sequence} with hash {@code head}. */
    public JsonObject auditVerifyContains(long sequence, String head) throws ApiException {
        return http.object("GET", "/v1/audit/verify?contains=" + sequence + ":" + head, null, true);
    }

    /** The coordinator's journal head and writer key ({@code GET /v1/audit}). */
    public JsonObject audit() throws ApiException {
        return http.object("GET", "/v1/audit", null, true);
    }

    /** Every signature an auditor re-verifies: countersignatures, answers, import and shred receipts. */
    public JsonObject auditSignatures() throws ApiException {
        return http.object("GET", "/v1/audit/signatures", null, true);
    }

    /** Retires a custodian id that no live key version uses. */
    public JsonObject retireCustodian(String custodianId, String reason) throws ApiException {
        return http.object("POST", "/v1/custodians/" + custodianId + "/retirement", new JsonObject()
                .put("reason", reason), true);
    }
}
