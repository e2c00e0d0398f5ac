package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code escrow paper split} and {@code escrow paper recover}, run in-process. Exponent 0 keeps them fast. */
class PaperCommandTest {
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
        }

        /** The mnemonics of group g (1-based), without their "share N: " prefixes. */
        List<String> group(int g) {
            List<String> shares = new ArrayList<>();
            boolean inGroup = false;
            for (String line : lines()) {
                if (line.startsWith("group ")) {
                    inGroup = line.startsWith("group " + g + " of ");
                } else if (inGroup && line.startsWith("share ")) {
                    shares.add(line.substring(line.indexOf(':') + 2));
                }
            }
            return shares;
        }
    }

    private static Result escrow(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Escrow.run(terminal, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String SECRET = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private static Result split(String... options) {
        List<String> args = new ArrayList<>(List.of("paper", "split", "--iteration-exponent", "0"));
        args.addAll(List.of(options));
        return escrow(SECRET + "\n", args.toArray(String[]::new));
    }

    private static final String OFFICIAL = "duckling enlarge academic academic agency result length solution fridge"
            + " kidney coal piece deal husband erode duke ajar critical decision keyboard";

    @Test
    void splitPrintsGroupedNumberedCards_andAnyQuorumRecovers() {
        Result split = split("--group-threshold", "2", "--group", "2-of-3", "--group", "1-of-1",
                "--group", "3-of-5", "--passphrase", "correct horse");
        assertEquals(0, split.exit(), split.err());
        assertTrue(split.out().contains("group 1 of 3 (2 of 3 needed)\nshare 1: "), split.out());
        assertTrue(split.out().contains("group 2 of 3 (1 of 1 needed)\nshare 1: "), split.out());
        assertTrue(split.out().contains("group 3 of 3 (3 of 5 needed)\n"), split.out());
        assertEquals(List.of(3, 1, 5), List.of(split.group(1).size(), split.group(2).size(), split.group(3).size()));
        assertEquals(33, split.group(1).get(0).split(" ").length, "a 32-byte secret gives 33 words");

        String quorum = split.group(3).get(4) + "\n" + split.group(1).get(2) + "\n" + split.group(3).get(0) + "\n"
                + split.group(1).get(0) + "\n" + split.group(3).get(2) + "\n";
        Result recovered = escrow(quorum, "paper", "recover", "--passphrase", "correct horse");
        assertEquals(0, recovered.exit(), recovered.err());
        assertEquals(SECRET + "\n", recovered.out(), "stdout stays the bare key for a pipeline");
        assertTrue(recovered.err().contains("recovered key: as AES-256, 32 bytes, KCV "), recovered.err());
    }

    @Test
    void recoverWithoutAPassphraseOption_refusesRatherThanUseTheEmptyOne() {
        Result split = split("--group", "1-of-1");
        Result recovered = escrow(split.group(1).get(0) + "\n", "paper", "recover");
        assertEquals(2, recovered.exit(), recovered.err());
        assertEquals("", recovered.out(), "no key is printed");
        assertTrue(recovered.err().contains("--no-passphrase"), recovered.err());
        assertEquals(SECRET + "\n", escrow(split.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase")
                .out(), "the empty passphrase, named, gives the key");
    }

    @Test
    void recoverPrintsTheKcvWithAlgorithmAndLength() {
        Result split = split("--group", "1-of-1");
        Result recovered = escrow(split.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase",
                "--algorithm", "AES-256");
        assertEquals(0, recovered.exit(), recovered.err());
        // the AES KCV of this key, computed independently: first 3 bytes of AES-256(key, 0^16)
        assertEquals("recovered key: AES-256, 32 bytes, KCV " + aesKcv(SECRET) + "\n", recovered.err());
        Result every = escrow(split.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase");
        assertTrue(every.err().contains("as AES-256, 32 bytes, KCV " + aesKcv(SECRET)), every.err());
        assertTrue(every.err().contains("as EC-P256, 32 bytes, KCV "), every.err());
        assertTrue(every.err().contains("as ED25519, 32 bytes, KCV "), every.err());
        Result unknown = escrow(split.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase",
                "--algorithm", "RSA");
        assertEquals(2, unknown.exit());
        assertEquals("", unknown.out());
        Result shortKey = escrow(OFFICIAL + "\n", "paper", "recover", "--passphrase", "TREZOR");
        assertTrue(shortKey.err().contains("16 bytes: not an escrowed key"), shortKey.err());
    }

    private static String aesKcv(String hex) {
        try {
            javax.crypto.Cipher aes = javax.crypto.Cipher.getInstance("AES/ECB/NoPadding");
            aes.init(javax.crypto.Cipher.ENCRYPT_MODE, new javax.crypto.spec.SecretKeySpec(
                    java.util.HexFormat.of().parseHex(hex), "AES"));
            return java.util.HexFormat.of().formatHex(aes.doFinal(new byte[16]), 0, 3);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void recoverReadsBackTheSplitTranscriptAsItIs() {
        Result split = split("--group", "2-of-3");
        assertEquals(0, split.exit(), split.err());
        List<String> lines = new ArrayList<>(split.lines());
        lines.remove(lines.size() - 1); // keep shares 1 and 2, with the heading, comment and "share N:" prefixes
        Result recovered = escrow(String.join("\n", lines).toUpperCase(java.util.Locale.ROOT)
                + "\n\n", "paper", "recover", "--no-passphrase");
        assertEquals(0, recovered.exit(), recovered.err());
        assertEquals(SECRET + "\n", recovered.out());
    }

    @Test
    void officialVector_recoversWithTheTrezorPassphrase() {
        Result recovered = escrow(OFFICIAL + "\n", "paper", "recover", "--passphrase", "TREZOR");
        assertEquals(0, recovered.exit(), recovered.err());
        assertEquals("bb54aac4b89dc868ba37d9cc21b2cece\n", recovered.out());
    }

    @Test
    void passphraseFromAFileOrTheEnvironment_matchesTheSameOnTheCommandLine(@TempDir Path dir) throws IOException {
        Map.Entry<String, String> variable = new java.util.TreeMap<>(System.getenv()).entrySet().stream()
                .filter(e -> !e.getValue().isEmpty() && e.getValue().chars().allMatch(c -> c >= 32 && c <= 126))
                .findFirst().orElseThrow();
        Result byEnvironment = split("--group", "1-of-1", "--passphrase-env", variable.getKey());
        assertEquals(0, byEnvironment.exit(), byEnvironment.err());
        Result recovered = escrow(byEnvironment.group(1).get(0), "paper", "recover",
                "--passphrase=" + variable.getValue());
        assertEquals(SECRET + "\n", recovered.out(), recovered.err());

        Path file = dir.resolve("passphrase");
        Files.writeString(file, "TREZOR\n");
        Result byFile = escrow(OFFICIAL, "paper", "recover", "--passphrase-file", file.toString());
        assertEquals("bb54aac4b89dc868ba37d9cc21b2cece\n", byFile.out(), byFile.err());
        Result missing = escrow(OFFICIAL, "paper", "recover", "--passphrase-file", dir.resolve("none").toString());
        assertEquals(2, missing.exit(), missing.err());
        assertTrue(missing.err().contains("cannot read the passphrase file"), missing.err());
    }

    @Test
    void aMistypedWord_isNamedByLineAndReasonWithExitTwo() {
        Result split = split("--group", "2-of-3");
        String[] words = split.group(1).get(1).split(" ");
        words[7] = words[7].equals("academic") ? "acid" : "academic";
        Result recovered = escrow(split.group(1).get(0) + "\n" + String.join(" ", words) + "\n", "paper",
                "recover", "--no-passphrase");
        assertEquals(2, recovered.exit());
        assertEquals("", recovered.out());
        assertTrue(recovered.err().contains("line 2: invalid checksum"), recovered.err());
        assertFalse(recovered.err().contains(words[7] + " "), "the error never quotes the mnemonic");
    }

    @Test
    void setLevelProblems_areNamedWithExitTwo() {
        Result a = split("--group", "2-of-3");
        Result b = split("--group", "2-of-3");
        Result[] results = {
            escrow(a.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase"),
            escrow(a.group(1).get(0) + "\n" + b.group(1).get(1) + "\n", "paper", "recover", "--no-passphrase"),
            escrow(a.group(1).get(0) + "\n" + a.group(1).get(0) + "\n", "paper", "recover", "--no-passphrase"),
            escrow(a.group(1).get(0) + "\n" + a.group(1).get(1) + "\n" + a.group(1).get(2) + "\n", "paper",
                    "recover", "--no-passphrase"),
            escrow("# nothing here\n\n", "paper", "recover", "--no-passphrase"),
            escrow("group 1 of 1\nshare 1: academic acid acne\n", "paper", "recover", "--no-passphrase"),
            escrow("abandon ability able about above absent absorb abstract absurd abuse access accident\n",
                    "paper", "recover", "--no-passphrase"),
        };
        String[] expected = {"insufficient members", "different identifiers", "duplicate member index",
            "too many members", "no mnemonics", "line 2: wrong length", "line 1: unknown word"};
        for (int i = 0; i < results.length; i++) {
            assertEquals(2, results[i].exit(), results[i].err());
            assertEquals("", results[i].out());
            assertTrue(results[i].err().contains(expected[i]), expected[i] + " in " + results[i].err());
        }
    }

    @Test
    void badSplitInput_exitsTwoWithAMessageAndPrintsNoCard() {
        Result[] results = {
            escrow("not-hex", "paper", "split", "--group", "2-of-3"),
            escrow("00112233445566778899aabbccddee", "paper", "split", "--group", "2-of-3"),
            escrow(SECRET + "00", "paper", "split", "--group", "2-of-3"),
            escrow("00".repeat(66), "paper", "split", "--group", "2-of-3"),
            escrow(SECRET, "paper", "split", "--group", "4-of-3"),
            escrow(SECRET, "paper", "split", "--group", "1-of-3"),
            escrow(SECRET, "paper", "split", "--group", "two-of-three"),
            escrow(SECRET, "paper", "split", "--group", "2-of-3", "--group-threshold", "2"),
            escrow(SECRET, "paper", "split", "--group", "2-of-3", "--iteration-exponent", "16"),
            escrow(SECRET, "paper", "split", "--group", "2-of-3", "--passphrase", "caf\u00e9"),
            escrow(SECRET, "paper", "split", "--group", "2-of-3", "--passphrase-env", "KEYESCROW_NO_SUCH_VARIABLE"),
            escrow(SECRET, "paper", "split"),
            escrow(SECRET, "paper", "split", "--group", "2-of-3", "--passphrase", "a", "--passphrase-env", "HOME"),
        };
        for (Result r : results) {
            assertEquals(2, r.exit(), r.err());
            assertEquals("", r.out());
            assertFalse(r.err().isBlank());
        }
        assertTrue(results[1].err().contains("at least 16"), results[1].err());
        assertTrue(results[2].err().contains("even number"), results[2].err());
        assertTrue(results[5].err().contains("1-of-3 is refused"), results[5].err());
        assertTrue(results[7].err().contains("group threshold 2 is invalid"), results[7].err());
        assertTrue(results[9].err().contains("printable ASCII"), results[9].err());
        assertTrue(results[10].err().contains("KEYESCROW_NO_SUCH_VARIABLE"), results[10].err());
    }

    @Test
    void everyPaperCommandHasHelp_andThePassphraseOptionWarns() {
        for (String[] args : new String[][] {{"paper", "--help"}, {"paper", "split", "--help"},
            {"paper", "recover", "--help"}}) {
            Result r = escrow("", args);
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), r.out());
        }
        assertTrue(escrow("", "paper", "split", "--help").out().contains("process list"));
        assertTrue(escrow("", "paper", "recover", "--help").out().contains("'#'"));
        assertEquals(2, escrow("", "paper").exit());
    }
}
