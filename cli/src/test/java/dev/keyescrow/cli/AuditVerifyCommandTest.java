package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyescrow.core.signature.SoftwareP256Signer;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.ReplayHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code escrow audit verify FILE} on a real signed journal, intact and tampered with. */
class AuditVerifyCommandTest {
    @TempDir
    Path dir;

    private String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Escrow.run(new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)), args);
        return new String[] {String.valueOf(exit), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void anIntactJournalVerifiesAndATamperedOneNamesItsFirstBadRecord() throws Exception {
        Path state = dir.resolve("journal");
        try (Journal journal = Journal.open(state, SoftwareP256Signer.generate(new SecureRandom()), Clock.systemUTC(),
                ReplayHandler.IGNORE)) {
            for (int i = 0; i < 3; i++) {
                journal.append("test", ("record " + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        Path file = state.resolve(Journal.JOURNAL_FILE);
        String genesis = java.util.HexFormat.of().formatHex(dev.keyescrow.journal.RecordFormat.genesisHash(
                java.util.Base64.getDecoder().decode(Files.readString(state.resolve(Journal.WRITER_KEY_FILE)).trim())));
        String[] empty = run("audit", "verify", file.toString(), "--contains", "0:" + genesis);
        assertEquals("0", empty[0], empty[2]);
        assertTrue(empty[1].contains("contains 0:" + genesis + ": record 0 of this chain"), empty[1]);
        String[] other = run("audit", "verify", file.toString(), "--contains", "0:" + "00".repeat(32));
        assertEquals("2", other[0]);
        assertTrue(other[2].contains("does NOT contain 0:" + "00".repeat(32) + ": FORK"), other[2]);
        String[] good = run("audit", "verify", file.toString());
        assertEquals("0", good[0], good[2]);
        assertTrue(good[1].contains("OK: 3 records"), good[1]);
        assertTrue(good[1].startsWith("writer "), good[1]);

        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 70] ^= 0x01;
        Files.write(file, bytes);
        String[] bad = run("audit", "verify", file.toString());
        assertEquals("2", bad[0]);
        assertTrue(bad[2].contains("BAD: record 3"), bad[2]);

        String[] missing = run("audit", "verify", dir.resolve("nope.log").toString());
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("no journal file"), missing[2]);
    }
}
