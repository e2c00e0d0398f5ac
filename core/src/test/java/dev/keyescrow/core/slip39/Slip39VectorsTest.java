package dev.keyescrow.core.slip39;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyescrow.core.secret.SecretAccess;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.slip39.Slip39Exception.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official SLIP-0039 vectors ({@code slip39/slip39-vectors.json}, passphrase "TREZOR"): a
 * valid set recovers its master secret, an invalid one is refused with the reason its
 * description names. Every case runs; the failures are collected and reported together.
 */
class Slip39VectorsTest {
    private static final String PASSPHRASE = "TREZOR";

    /** The reason each invalid vector must give, by the number its description starts with. */
    private static final Map<Integer, Reason> EXPECTED = Map.ofEntries(
            Map.entry(2, Reason.INVALID_CHECKSUM),
            Map.entry(3, Reason.INVALID_PADDING),
            Map.entry(5, Reason.INSUFFICIENT_MEMBERS),
            Map.entry(6, Reason.DIFFERENT_IDENTIFIERS),
            Map.entry(7, Reason.DIFFERENT_ITERATION_EXPONENTS),
            Map.entry(8, Reason.MISMATCHING_GROUP_THRESHOLDS),
            Map.entry(9, Reason.MISMATCHING_GROUP_COUNTS),
            Map.entry(10, Reason.GROUP_THRESHOLD_EXCEEDS_COUNT),
            Map.entry(11, Reason.DUPLICATE_MEMBER_INDEX),
            Map.entry(12, Reason.MISMATCHING_MEMBER_THRESHOLDS),
            Map.entry(13, Reason.INVALID_DIGEST),
            Map.entry(14, Reason.INSUFFICIENT_GROUPS),
            Map.entry(15, Reason.INSUFFICIENT_GROUPS),
            Map.entry(16, Reason.INSUFFICIENT_MEMBERS),
            Map.entry(39, Reason.WRONG_LENGTH),
            Map.entry(40, Reason.WRONG_LENGTH));

    record Vector(String description, List<String> mnemonics, String masterSecretHex, String xprv) {
        int number() {
            return Integer.parseInt(description.substring(0, description.indexOf('.')));
        }

        boolean valid() {
            return !masterSecretHex.isEmpty();
        }
    }

    static List<Vector> vectors() throws IOException {
        try (InputStream in = Slip39VectorsTest.class.getResourceAsStream("/slip39/slip39-vectors.json")) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode entry : root) {
                List<String> mnemonics = new ArrayList<>();
                entry.get(1).forEach(m -> mnemonics.add(m.asText()));
                vectors.add(new Vector(entry.get(0).asText(), mnemonics, entry.get(2).asText(), entry.get(3).asText()));
            }
            return vectors;
        }
    }

    static List<char[]> chars(List<String> mnemonics) {
        return mnemonics.stream().map(String::toCharArray).toList();
    }

    @Test
    void everyOfficialVector_givesItsSecretOrItsError() throws IOException {
        List<Vector> vectors = vectors();
        List<String> failures = new ArrayList<>();
        for (Vector v : vectors) {
            try (Passphrase passphrase = Passphrase.copyOf(PASSPHRASE.toCharArray());
                    SecretBytes secret = Slip39.recoverMnemonics(chars(v.mnemonics()), passphrase)) {
                String hex = HexFormat.of().formatHex(secret.toByteArray(SecretAccess.plaintext()));
                if (!v.valid()) {
                    failures.add(v.description() + ": accepted, expected " + EXPECTED.get(v.number()));
                } else if (!hex.equals(v.masterSecretHex())) {
                    failures.add(v.description() + ": recovered " + hex + ", expected " + v.masterSecretHex());
                } else if (!Bip32.xprv(secret).equals(v.xprv())) {
                    failures.add(v.description() + ": BIP-32 master key " + Bip32.xprv(secret) + ", expected "
                            + v.xprv());
                }
            } catch (Slip39Exception e) {
                Reason expected = EXPECTED.get(v.number());
                if (v.valid()) {
                    failures.add(v.description() + ": refused (" + e.reason() + ": " + e.getMessage() + ")");
                } else if (e.reason() != expected) {
                    failures.add(v.description() + ": refused with " + e.reason() + " (" + e.getMessage()
                            + "), expected " + expected);
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(21, vectors.size(), "the vector file changed");
        assertEquals(EXPECTED.size(), vectors.stream().filter(v -> !v.valid()).count(),
                "every invalid vector has an expected reason");
    }

    @Test
    void validVectors_parseAndRewriteToTheSameMnemonics() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Vector v : vectors()) {
            if (!v.valid()) {
                continue;
            }
            for (String mnemonic : v.mnemonics()) {
                try (MnemonicShare share = MnemonicShare.parse(mnemonic.toCharArray())) {
                    String again = new String(share.toMnemonic());
                    if (!again.equals(mnemonic)) {
                        failures.add(v.description() + ": rewritten as " + again);
                    }
                    String upper = mnemonic.toUpperCase(java.util.Locale.ROOT).replace(" ", " \t ");
                    try (MnemonicShare loose = MnemonicShare.parse(upper.toCharArray())) {
                        if (!loose.header().equals(share.header()) || !loose.value().equalsSecret(share.value())) {
                            failures.add(v.description() + ": upper case or extra spaces parse differently");
                        }
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
