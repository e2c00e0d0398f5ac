package dev.keyescrow.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    private static String canonical(Object value) {
        return new String(CanonicalJson.toBytes(value), StandardCharsets.UTF_8);
    }

    @Test
    void keysAreSortedByUtf16CodeUnitsAndNothingIsSpaced() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1);
        m.put("a", List.of("x", 2L));
        m.put("\u00e9", "e");
        m.put("A", Map.of());
        m.put("\ud83d\ude00", "smile");
        m.put("\uff01", "fullwidth");
        // U+1F600 is the surrogate pair d83d de00, which sorts before U+FF01 in UTF-16
        assertEquals("{\"A\":{},\"a\":[\"x\",2],\"b\":1,\"\u00e9\":\"e\",\"\ud83d\ude00\":\"smile\",\"\uff01\":"
                + "\"fullwidth\"}", canonical(m));
    }

    @Test
    void stringsUseTheMinimalEscapesOfRfc8785() {
        assertEquals("\"\\\"\\\\\\b\\f\\n\\r\\t\\u0000\\u001f/\u007f\u2028\"",
                canonical("\"\\\b\f\n\r\t\u0000\u001f/\u007f\u2028"));
    }

    @Test
    void integersAreExactAndBounded() {
        assertEquals("[0,-1,9007199254740991]", canonical(List.of(0, -1, 9007199254740991L)));
        assertThrows(IllegalArgumentException.class, () -> canonical(9007199254740992L));
    }

    @Test
    void otherValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> canonical(1.5));
        assertThrows(IllegalArgumentException.class, () -> canonical(true));
        assertThrows(IllegalArgumentException.class, () -> canonical(java.util.Collections.singletonList(null)));
        assertThrows(IllegalArgumentException.class, () -> canonical("\ud800"));
    }
}
