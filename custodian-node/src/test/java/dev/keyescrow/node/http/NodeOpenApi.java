package dev.keyescrow.node.http;

import dev.keyescrow.node.NodeHttpServer;
import dev.keyescrow.server.http.openapi.OpenApiContract;
import java.net.URI;
import java.net.http.HttpResponse;

/** The node's OpenAPI document as a contract: API tests pass every answer they get through {@link #checked}. */
final class NodeOpenApi {
    static final OpenApiContract CONTRACT = OpenApiContract.fromResource(NodeHttpServer.class, NodeHttpServer.OPENAPI);

    private NodeOpenApi() {
    }

    /** {@code response}, after failing the test unless the document describes it. */
    static HttpResponse<String> checked(HttpResponse<String> response) {
        URI uri = response.request().uri();
        CONTRACT.check(response.request().method(), uri.getRawPath()
                        + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), response.statusCode(),
                response.headers().firstValue("content-type").orElse(""), response.body());
        return response;
    }
}
