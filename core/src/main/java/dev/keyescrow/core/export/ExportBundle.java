package dev.keyescrow.core.export;

import dev.keyescrow.core.error.FormatException;
import dev.keyescrow.core.format.CanonicalJson;
import dev.keyescrow.core.format.CanonicalJsonParser;
import dev.keyescrow.core.format.JsonFields;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The file {@code escrow export fetch} writes and {@code escrow export recover} reads
 * ({@code docs/spec/export-release.md}): the canonical request and manifest exactly as
 * signed, and the nodes' signed export releases. Nothing in it is trusted because of who
 * relayed it: the recipient rebuilds every statement from these values and verifies it
 * under the node keys it pinned.
 */
public record ExportBundle(String request, String manifest, List<ExportRelease> releases) {
    public static final String FORMAT = "keyescrow-export-bundle-v1";
    /** Far above any threshold (at most 255 shares); bounds what a reader allocates. */
    public static final int MAX_RELEASES = 255;

    public ExportBundle {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(manifest, "manifest");
        releases = List.copyOf(releases);
        if (releases.isEmpty() || releases.size() > MAX_RELEASES) {
            throw new IllegalArgumentException("a bundle holds 1 to " + MAX_RELEASES + " releases");
        }
    }

    /** Canonical JSON ({@code canonical-json.md}). */
    public byte[] encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("request", request);
        m.put("manifest", manifest);
        List<Object> list = new ArrayList<>();
        for (ExportRelease r : releases) {
            list.add(r.toMap());
        }
        m.put("releases", list);
        return CanonicalJson.toBytes(m);
    }

    /** Reads exactly canonical bytes; refuses unknown or missing members and bad values. */
    public static ExportBundle decode(byte[] bytes) throws FormatException {
        JsonFields f = new JsonFields("export bundle", CanonicalJsonParser.parseObject(bytes));
        f.requireExactly(Set.of("format", "request", "manifest", "releases"));
        if (!FORMAT.equals(f.string("format"))) {
            throw new FormatException("export bundle: unknown format, expected " + FORMAT);
        }
        List<Object> list = f.array("releases");
        if (list.isEmpty() || list.size() > MAX_RELEASES) {
            throw new FormatException("export bundle: 1 to " + MAX_RELEASES + " releases expected");
        }
        List<ExportRelease> releases = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            releases.add(ExportRelease.fromFields(JsonFields.element("export bundle release " + i, list.get(i))));
        }
        return new ExportBundle(f.string("request"), f.string("manifest"), releases);
    }

    public byte[] requestBytes() {
        return request.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] manifestBytes() {
        return manifest.getBytes(StandardCharsets.UTF_8);
    }
}
