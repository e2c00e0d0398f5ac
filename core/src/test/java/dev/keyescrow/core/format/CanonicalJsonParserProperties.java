package dev.keyescrow.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.error.FormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CanonicalJsonParserProperties {
    private static final ObjectMapper JACKSON = new ObjectMapper();

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(12).filter(CanonicalJsonParserProperties::noLoneSurrogate)
                        .map(s -> (Object) s),
                Arbitraries.longs().between(-CanonicalJson.MAX_SAFE_INTEGER, CanonicalJson.MAX_SAFE_INTEGER)
                        .map(n -> (Object) n));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) new ArrayList<>(l)),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(6).filter(CanonicalJsonParserProperties::noLoneSurrogate),
                        inner).ofMaxSize(4).map(m -> (Object) new LinkedHashMap<>(m))), 3);
    }

    private static boolean noLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(++i)))) {
                return false;
            }
            if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    @Property(tries = 300)
    void writeThenParseIsIdentity(@ForAll("values") Object value) throws FormatException {
        byte[] canonical = CanonicalJson.toBytes(value);
        assertArrayEquals(canonical, CanonicalJson.toBytes(CanonicalJsonParser.parse(canonical)));
    }

    @Property(tries = 300)
    void jacksonParsedInputReCanonicalizesToTheSameBytes(@ForAll("values") Object value) throws Exception {
        byte[] canonical = CanonicalJson.toBytes(value);
        // an independent parser reads our bytes, and pretty-printed (non-canonical) text of them
        JsonNode tree = JACKSON.readTree(canonical);
        assertArrayEquals(canonical, CanonicalJson.toBytes(fromJackson(tree)));
        byte[] pretty = JACKSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        assertArrayEquals(canonical, CanonicalJson.toBytes(fromJackson(JACKSON.readTree(pretty))));
        if (!java.util.Arrays.equals(pretty, canonical)) {
            assertThrows(FormatException.class, () -> CanonicalJsonParser.parse(pretty));
        }
    }

    private static Object fromJackson(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                m.put(e.getKey(), fromJackson(e.getValue()));
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>();
            node.forEach(n -> l.add(fromJackson(n)));
            return l;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isIntegralNumber()) {
            return node.longValue();
        }
        throw new IllegalArgumentException("unexpected JSON node " + node.getNodeType());
    }

    @Example
    void nonCanonicalInputIsRefused() {
        for (String text : new String[] {
            "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":1}", "{ \"a\":1}", "{\"a\":1} ", "[1,2]x", "\"\\/\"", "\"\\u0041\"",
            "01", "-0", "1.0", "1e3", "true", "null", "[1,]", "{\"a\"}", "", "\"unterminated", "\"\\ud800\"",
            "\"\u0001\"", "123456789012345678"}) {
            assertThrows(FormatException.class,
                    () -> CanonicalJsonParser.parse(text.getBytes(StandardCharsets.UTF_8)), text);
        }
        assertThrows(FormatException.class, () -> CanonicalJsonParser.parse(new byte[] {'"', (byte) 0xC3, '"'}));
    }

    @Example
    void canonicalInputIsRead() throws FormatException {
        Object value = CanonicalJsonParser.parse("{\"a\":[\"\\n\",-5,{}],\"b\":\"\u00e9\"}"
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("a", List.of("\n", -5L, Map.of()), "b", "\u00e9"), value);
    }
}
