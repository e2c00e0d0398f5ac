package dev.keyescrow.core.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.error.FormatException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SIGN's params: limits, strict reading, and a digest that changes with any message byte. */
class SignParamsTest {
    private static CanonicalRequest sign(List<byte[]> messages) {
        return new CanonicalRequest("req-0002", Operation.SIGN, "signing-key", 1, new RequestParams.Sign(messages),
                "alice", "Release 4.2 tag", Instant.parse("2026-11-28T12:00:00Z"),
                Instant.parse("2026-11-28T12:10:00Z"), new byte[16], RequestVectorsTest.EPHEMERAL);
    }

    @Test
    void roundTripsAndCarriesEachMessage() throws Exception {
        List<byte[]> messages = List.of("release v4.2".getBytes(StandardCharsets.UTF_8), new byte[] {0, 1, 2});
        CanonicalRequest request = sign(messages);
        String canonical = new String(request.canonicalJson(), StandardCharsets.UTF_8);
        assertTrue(canonical.contains("\"params\":{\"messages\":[\"cmVsZWFzZSB2NC4y\",\"AAEC\"]}"), canonical);
        CanonicalRequest parsed = CanonicalRequest.parse(request.canonicalJson());
        assertEquals(request, parsed);
        RequestParams.Sign params = (RequestParams.Sign) parsed.params();
        assertArrayEquals(messages.get(1), params.message(1));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(messages.get(0)), params.digests().get(0));
    }

    @Test
    void digestBindsEveryMessage() {
        byte[] m = "pay 100 to bob".getBytes(StandardCharsets.UTF_8);
        byte[] altered = m.clone();
        altered[4] ^= 1;
        assertNotEquals(sign(List.of(m)).digest(), sign(List.of(altered)).digest());
        assertNotEquals(sign(List.of(m, m)).digest(), sign(List.of(m)).digest());
    }

    @Test
    void limits() {
        assertThrows(IllegalArgumentException.class, () -> new RequestParams.Sign(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestParams.Sign(Collections.nCopies(65, new byte[1])));
        assertThrows(IllegalArgumentException.class,
                () -> new RequestParams.Sign(List.of(new byte[64 * 1024 + 1])));
        new RequestParams.Sign(List.of(new byte[64 * 1024]));
        new RequestParams.Sign(Collections.nCopies(64, new byte[16]));
        List<byte[]> big = new ArrayList<>(Collections.nCopies(3, new byte[64 * 1024]));
        assertThrows(IllegalArgumentException.class, () -> new RequestParams.Sign(big));
    }

    @Test
    void strictReading() {
        String canonical = new String(sign(List.of(new byte[] {1, 2, 3})).canonicalJson(), StandardCharsets.UTF_8);
        for (String bad : List.of("[\"AQID\",1]", "[\"AQI D\"]", "[\"AQIE=\"]", "[]", "\"AQID\"")) {
            byte[] bytes = canonical.replace("[\"AQID\"]", bad).getBytes(StandardCharsets.UTF_8);
            assertThrows(FormatException.class, () -> CanonicalRequest.parse(bytes), bad);
        }
        byte[] extra = canonical.replace("{\"messages\"", "{\"extra\":1,\"messages\"").getBytes(StandardCharsets.UTF_8);
        assertThrows(FormatException.class, () -> CanonicalRequest.parse(extra));
    }
}
