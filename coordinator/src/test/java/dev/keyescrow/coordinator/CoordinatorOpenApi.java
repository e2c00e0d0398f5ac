package dev.keyescrow.coordinator;

import dev.keyescrow.server.http.openapi.OpenApiContract;
import java.net.URI;

/** The coordinator's OpenAPI document as a contract: {@link TestCluster} checks every answer it gets. */
final class CoordinatorOpenApi {
    static final OpenApiContract CONTRACT = OpenApiContract.fromResource(CoordinatorServer.class,
            CoordinatorServer.OPENAPI);

    private CoordinatorOpenApi() {
    }

    /** Fails the test unless the document describes this answer to {@code method} on {@code uri}. */
    static void check(String method, URI uri, int status, String contentType, String body) {
        CONTRACT.check(method, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                status, contentType, body);
    }
}
