package dev.keyescrow.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * Whether the server answering at a member's URL is that member of this cluster, told by keys
 * made at this cluster's enrolment: a node's identity fingerprint ({@code GET /v1/node}), and
 * for the coordinator the node identity keys it pinned ({@code GET /v1/nodes}). Every cluster
 * calls its members {@code coordinator}, {@code node-1}, ...: names alone would not tell them apart.
 */
final class MemberIdentity {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    /** Node id to the identity public key (base64) it gave at enrolment. */
    private final Map<String, String> nodeKeys;

    MemberIdentity(HttpClient http, Map<String, String> nodeKeys) {
        this.http = http;
        this.nodeKeys = Map.copyOf(nodeKeys);
    }

    boolean answersAsItself(MemberProcess member) throws Exception {
        try {
            if (member.id().equals(ClusterLayout.COORDINATOR)) {
                JsonNode nodes = get(member.url() + "/v1/nodes");
                for (JsonNode n : nodes) {
                    String expected = nodeKeys.get(n.path("id").asText());
                    if (expected == null || !expected.equals(n.path("identityPublicKey").asText())) {
                        return false;
                    }
                }
                return nodes.size() == nodeKeys.size();
            }
            String expected = nodeKeys.get(member.id());
            String fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(Base64.getDecoder().decode(expected)));
            return fingerprint.equals(get(member.url() + "/v1/node").path("identityFingerprint").asText());
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode());
        }
        return JSON.readTree(r.body());
    }
}
