package dev.keyescrow.hsm.wycheproof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One Wycheproof test case (C2SP/wycheproof {@code testvectors_v1}, copied with its licence
 * under {@code src/test/resources/wycheproof}): id, fields, and the expected outcome.
 */
public record WycheproofCase(String file, int tcId, String comment, JsonNode fields, Result result) {
    public enum Result { VALID, INVALID, ACCEPTABLE }

    public static List<WycheproofCase> load(String file) throws IOException {
        try (InputStream in = WycheproofCase.class.getResourceAsStream("/wycheproof/" + file)) {
            if (in == null) {
                throw new IOException("missing test resource wycheproof/" + file);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<WycheproofCase> cases = new ArrayList<>();
            for (JsonNode group : root.get("testGroups")) {
                for (JsonNode test : group.get("tests")) {
                    cases.add(new WycheproofCase(file, test.get("tcId").asInt(), test.get("comment").asText(), test,
                            Result.valueOf(test.get("result").asText().toUpperCase(java.util.Locale.ROOT))));
                }
            }
            return cases;
        }
    }

    public byte[] hex(String field) {
        return HexFormat.of().parseHex(fields.get(field).asText());
    }

    @Override
    public String toString() {
        return file + "#" + tcId + " (" + comment + ", " + result + ")";
    }
}
