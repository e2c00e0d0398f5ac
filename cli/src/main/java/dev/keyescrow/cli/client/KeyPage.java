package dev.keyescrow.cli.client;

import io.vertx.core.json.JsonArray;
import java.util.Objects;
import java.util.Optional;

/** One page of {@code GET /v1/keys}: its keys, and the path of the next page if the {@code Link} header names one. */
public record KeyPage(JsonArray items, Optional<String> next) {
    public KeyPage {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(next, "next");
    }
}
