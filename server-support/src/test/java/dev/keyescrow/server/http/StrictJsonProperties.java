package dev.keyescrow.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.server.http.StrictJson.BadJsonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The strict integer and array readers over arbitrary JSON numbers and shapes: an integer
 * field takes exactly the JSON integers in its range and returns them unchanged; any fraction,
 * exponent or out-of-range value is refused with the field named, never rounded or narrowed.
 */
class StrictJsonProperties {
    private static final ObjectMapper TREES = new ObjectMapper();

    record Body(Integer threshold, Long ttlSeconds, List<String> custodians) {
    }

    private static Body body(String json) throws BadJsonException {
        return StrictJson.read(json.getBytes(StandardCharsets.UTF_8), Body.class);
    }

    /** Any JSON number text: integers of any size, fractions, exponents, negative zero. */
    @Provide
    Arbitrary<String> jsonNumbers() {
        Arbitrary<String> integers = Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(),
                BigInteger.TEN.pow(30)).map(BigInteger::toString);
        Arbitrary<String> decimals = Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12"))
                .ofScale(3).map(BigDecimal::toPlainString);
        Arbitrary<String> exponents = Combinators.combine(Arbitraries.integers().between(-99, 99),
                Arbitraries.integers().between(-20, 20), Arbitraries.of("e", "E", "e+", "E-"))
                .as((m, e, s) -> m + s + Math.abs(e));
        Arbitrary<String> edges = Arbitraries.of("-0", "0", "2.0", "2.9", "4294967298", "-4294967294",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483647", "2147483648",
                "1e400", "0.0", "-0.0");
        return Arbitraries.oneOf(integers, decimals, exponents, edges);
    }

    private static boolean isPlainInteger(String text) {
        return text.matches("-?(0|[1-9][0-9]*)");
    }

    @Property
    void anIntegerFieldTakesExactlyTheIntegersOfItsRange(@ForAll("jsonNumbers") String number) {
        String json = "{\"threshold\":" + number + "}";
        boolean fits = isPlainInteger(number) && new BigInteger(number).bitLength() < 32;
        if (fits) {
            Body b = assertDoesNotThrowBad(json);
            assertEquals(new BigInteger(number).intValueExact(), b.threshold());
        } else {
            BadJsonException e = assertThrows(BadJsonException.class, () -> body(json), json);
            assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        }
    }

    @Property
    void aLongFieldTakesExactlyTheIntegersOfItsRange(@ForAll("jsonNumbers") String number) {
        String json = "{\"ttlSeconds\":" + number + "}";
        boolean fits = isPlainInteger(number) && new BigInteger(number).bitLength() < 64;
        if (fits) {
            assertEquals(new BigInteger(number).longValueExact(), assertDoesNotThrowBad(json).ttlSeconds());
        } else {
            BadJsonException e = assertThrows(BadJsonException.class, () -> body(json), json);
            assertTrue(e.getMessage().contains("ttlSeconds"), e.getMessage());
        }
    }

    @Property
    void theTreeReaderTakesExactlyTheIntegersOfTheGivenRange(@ForAll("jsonNumbers") String number,
            @ForAll("bounds") long[] bounds) throws Exception {
        JsonNode params = TREES.readTree("{\"threshold\":" + number + "}");
        long min = Math.min(bounds[0], bounds[1]);
        long max = Math.max(bounds[0], bounds[1]);
        boolean fits = isPlainInteger(number) && new BigInteger(number).compareTo(BigInteger.valueOf(min)) >= 0
                && new BigInteger(number).compareTo(BigInteger.valueOf(max)) <= 0;
        if (fits) {
            assertEquals(new BigInteger(number).longValueExact(), StrictJson.integer(params, "params", "threshold",
                    min, max));
        } else {
            BadJsonException e = assertThrows(BadJsonException.class,
                    () -> StrictJson.integer(params, "params", "threshold", min, max), number);
            assertTrue(e.getMessage().contains("params.threshold"), e.getMessage());
        }
    }

    @Provide
    Arbitrary<long[]> bounds() {
        Arbitrary<Long> ends = Arbitraries.oneOf(Arbitraries.longs().between(-300, 300), Arbitraries.longs(),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, 255L));
        return Combinators.combine(ends, ends).as((a, b) -> new long[] {a, b});
    }

    @Property
    void aPathParameterIsDigitsInRange(@ForAll("texts") String raw) {
        boolean fits = raw.matches("0|[1-9][0-9]{0,8}") && Long.parseLong(raw) >= 1;
        if (fits) {
            assertEquals(Long.parseLong(raw), assertDoesNotThrowText(raw));
        } else {
            assertThrows(BadJsonException.class, () -> StrictJson.integerText(raw, 1, 999_999_999, "version"), raw);
        }
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("0123456789+-.eE x").ofMaxLength(22),
                Arbitraries.longs().map(String::valueOf), Arbitraries.of("", "01", "1.0", "1e3", "+1", " 1", "0"));
    }

    @Example
    void anObjectOrAScalarIsNotAnArray() throws Exception {
        for (String value : new String[] {"{\"a\":\"x\"}", "\"x\"", "1", "null", "[\"x\",1]"}) {
            JsonNode params = TREES.readTree("{\"custodians\":" + value + "}");
            BadJsonException e = assertThrows(BadJsonException.class,
                    () -> StrictJson.strings(params, "params", "custodians"), value);
            assertTrue(e.getMessage().contains("params.custodians"), e.getMessage());
            if (!value.equals("null")) { // absent: the route's own "required" check answers
                assertThrows(BadJsonException.class, () -> body("{\"custodians\":" + value + "}"), value);
            }
        }
        assertEquals(List.of("a", "b"), StrictJson.strings(TREES.readTree("{\"c\":[\"a\",\"b\"]}"), "params", "c"));
        assertEquals(List.of("a", "b"), body("{\"custodians\":[\"a\",\"b\"]}").custodians());
    }

    private static Body assertDoesNotThrowBad(String json) {
        try {
            return body(json);
        } catch (BadJsonException e) {
            throw new AssertionError(json + " was refused: " + e.getMessage(), e);
        }
    }

    private static long assertDoesNotThrowText(String raw) {
        try {
            return StrictJson.integerText(raw, 1, 999_999_999, "version");
        } catch (BadJsonException e) {
            throw new AssertionError(raw + " was refused", e);
        }
    }
}
