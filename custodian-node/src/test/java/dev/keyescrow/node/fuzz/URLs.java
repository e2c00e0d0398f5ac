package dev.keyescrow.node.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

final class URLs {
    private URLs() {
    }

    /** {@code text} as one percent-encoded path segment. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
