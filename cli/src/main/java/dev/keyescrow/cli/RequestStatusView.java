package dev.keyescrow.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** {@code escrow request status} in words: who approved, who denied, which nodes released which shares. */
final class RequestStatusView {
    private RequestStatusView() {
    }

    static String describe(JsonObject r) {
        StringBuilder out = new StringBuilder(r.getString("requestId") + " " + r.getString("operation") + " of "
                + r.getString("keyId") + " v" + r.getInteger("version") + ": " + r.getString("state") + " ("
                + r.getInteger("approvals") + " of " + r.getInteger("threshold") + " approvals)");
        line(out, "approved by", names(r.getJsonArray("approvers")));
        line(out, "denied by", names(r.getJsonArray("deniers")));
        List<String> released = new ArrayList<>();
        for (Object o : r.getJsonArray("releases", new JsonArray())) {
            JsonObject e = (JsonObject) o;
            released.add("share " + e.getInteger("index") + " by " + e.getString("nodeId"));
        }
        line(out, "released", released);
        List<String> bad = new ArrayList<>();
        for (Object o : r.getJsonArray("badReleases", new JsonArray())) {
            JsonObject e = (JsonObject) o;
            bad.add("share " + e.getInteger("index") + " by " + e.getString("nodeId") + " (" + e.getString("problem")
                    + ")");
        }
        line(out, "BAD releases", bad);
        line(out, "shredded by", names(r.getJsonArray("shreddedNodes")));
        JsonArray signatures = r.getJsonArray("signatures", new JsonArray());
        for (int j = 0; j < signatures.size(); j++) {
            // RFC 8032 signatures, base64, in message order: what any Ed25519 verifier takes
            out.append("\n  ").append(String.format("%-13s", "signature " + (j + 1))).append(signatures.getString(j));
        }
        for (Object h : r.getJsonArray("history", new JsonArray())) {
            JsonObject e = (JsonObject) h;
            out.append("\n  ").append(e.getString("at")).append(' ').append(e.getString("state")).append(": ")
                    .append(e.getString("reason"));
        }
        return out.toString();
    }

    private static List<String> names(JsonArray array) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            array.forEach(o -> out.add(String.valueOf(o)));
        }
        return out;
    }

    /** A labelled line; "none" rather than nothing, so that a missing denier is seen as none. */
    private static void line(StringBuilder out, String label, List<String> values) {
        out.append("\n  ").append(String.format("%-13s", label)).append(values.isEmpty() ? "none"
                : String.join(", ", values));
    }
}
