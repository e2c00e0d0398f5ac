package dev.keyescrow.core.request;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.core.error.FormatException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What a node reads from the cluster: a request the coordinator signed whose integers are
 * fractions, exponents or out of range is refused by the canonical parser, never rounded or
 * narrowed. Every integer member of a USE and a RESHARE request, over arbitrary JSON numbers.
 */
class CanonicalRequestNumberProperties {
    private static final String USE = new String(RequestVectorsTest.useRequest().canonicalJson(),
            StandardCharsets.UTF_8);
    private static final String RESHARE = SpecRequestVectors.RESHARE_CANONICAL;
    private static final String HOLDERS = RESHARE.substring(RESHARE.indexOf("[{"), RESHARE.indexOf("}]") + 2);

    @Provide
    Arbitrary<String> numbers() {
        Arbitrary<String> integers = Arbitraries.oneOf(Arbitraries.longs().between(-5, 100_000).map(String::valueOf),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(25).negate(), BigInteger.TEN.pow(25))
                        .map(BigInteger::toString));
        Arbitrary<String> decimals = Arbitraries.bigDecimals().between(new BigDecimal("-1e6"), new BigDecimal("1e6"))
                .ofScale(2).map(BigDecimal::toPlainString);
        Arbitrary<String> exponents = Combinators.combine(Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 12), Arbitraries.of("e", "E", "e+", "e-")).as((m, e, s) -> m + s + e);
        Arbitrary<String> edges = Arbitraries.of("2.0", "2.9", "-0", "01", "4294967298", "4294967297", "2147483648",
                "9007199254740991", "9007199254740992", "9223372036854775808", "1e0", "2e0", "+2");
        return Arbitraries.oneOf(integers, decimals, exponents, edges);
    }

    private static boolean integerIn(String text, long min, long max) {
        return text.matches("-?(0|[1-9][0-9]*)") && !text.equals("-0")
                && new BigInteger(text).compareTo(BigInteger.valueOf(min)) >= 0
                && new BigInteger(text).compareTo(BigInteger.valueOf(max)) <= 0;
    }

    private static void assertReadsExactlyWhenInRange(String canonical, String number, long min, long max)
            throws Exception {
        byte[] bytes = canonical.getBytes(StandardCharsets.UTF_8);
        if (integerIn(number, min, max)) {
            assertEquals(canonical, new String(CanonicalRequest.parse(bytes).canonicalJson(), StandardCharsets.UTF_8));
        } else {
            assertThrows(FormatException.class, () -> CanonicalRequest.parse(bytes), number);
        }
    }

    @Property
    void version(@ForAll("numbers") String n) throws Exception {
        assertReadsExactlyWhenInRange(USE.replace("\"version\":1", "\"version\":" + n), n, 1, Integer.MAX_VALUE);
    }

    @Property
    void maxOperations(@ForAll("numbers") String n) throws Exception {
        assertReadsExactlyWhenInRange(USE.replace("\"maxOperations\":10", "\"maxOperations\":" + n), n, 1,
                RequestParams.Use.MAX_OPERATIONS);
    }

    @Property
    void sessionSeconds(@ForAll("numbers") String n) throws Exception {
        assertReadsExactlyWhenInRange(USE.replace("\"sessionSeconds\":300", "\"sessionSeconds\":" + n), n, 1,
                RequestParams.Use.MAX_SESSION_SECONDS);
    }

    @Property
    void reshareThreshold(@ForAll("numbers") String n) throws Exception {
        // two holders: 2 is the only threshold they allow
        assertReadsExactlyWhenInRange(RESHARE.replace("\"threshold\":2", "\"threshold\":" + n), n, 2, 2);
    }

    @Property(tries = 50)
    void reshareHoldersMustBeAnArrayOfHolders(@ForAll("shapes") String holders) {
        byte[] bytes = RESHARE.replace(HOLDERS, holders).getBytes(StandardCharsets.UTF_8);
        assertThrows(FormatException.class, () -> CanonicalRequest.parse(bytes), holders);
    }

    @Provide
    Arbitrary<String> shapes() {
        String one = HOLDERS.substring(1, HOLDERS.indexOf("},{") + 1);
        return Arbitraries.of("{\"a\":" + one + "}", one, "\"c1\"", "[" + one + ",2]", "[" + one + ",[" + one + "]]",
                "[" + one + ",{\"x\":\"c2\"}]", "2", "[" + one + "," + one + "]", "[\"c1\",\"c2\"]",
                "[" + one.replace("custodian-1", "Custodian-1") + "," + one.replace("custodian-1", "c2") + "]",
                "[" + one.replace("\"nodeId\":\"node-1\",", "") + "]");
    }
}
