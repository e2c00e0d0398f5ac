package dev.keyescrow.cli.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The custodian-facing node API: no operator token; an answer's signature is its credential. */
public final class NodeClient {
    private final JsonHttp http;

    public NodeClient(String url) {
        this(url, TlsTrust.systemDefault());
    }

    /** @param trust the TLS servers trusted ({@code --ca-file}, {@code --tls-pin}) */
    public NodeClient(String url, TlsTrust trust) {
        this.http = new JsonHttp(url, null, trust);
    }

    public JsonObject node() throws ApiException {
        return http.object("GET", "/v1/node", null, false);
    }

    public JsonObject audit() throws ApiException {
        return http.object("GET", "/v1/audit", null, false);
    }

    public JsonArray pending() throws ApiException {
        return http.array("/v1/requests?state=PENDING", false);
    }

    public JsonObject request(String requestId) throws ApiException {
        return http.object("GET", "/v1/requests/" + requestId, null, false);
    }

    /** A long poll: the request's view as soon as the node holds it; 404 if it has not arrived in {@code waitSeconds}. */
    public JsonObject awaitRequest(String requestId, int waitSeconds) throws ApiException {
        return http.object("GET", "/v1/requests/" + requestId + "?wait=" + waitSeconds, null, false);
    }

    public JsonObject answer(String requestId, String custodianId, String decision, String signature)
            throws ApiException {
        return http.object("POST", "/v1/requests/" + requestId + "/approvals", new JsonObject()
                .put("custodianId", custodianId).put("decision", decision).put("signature", signature), false);
    }
}
