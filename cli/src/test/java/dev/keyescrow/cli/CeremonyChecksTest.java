package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ceremony tools' own comparisons, run in-process against a recording HTTP server: no cluster needed. */
class CeremonyChecksTest {
    record Result(int exit, String out, String err) {
    }

    static Result escrow(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Escrow.run(terminal, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    Path dir;

    private Path tokenFile() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "secret\n");
        return token;
    }

    @Test
    void keyImport_withAWrongKcv_sendsNothingAndExitsTwo() throws Exception {
        try (RecordingServer coordinator = new RecordingServer()) {
            Result r = escrow(KEY + "\n", "key", "import", "--coordinator", coordinator.url(), "--token-file",
                    tokenFile().toString(), "--name", "restored", "--algorithm", "AES-256", "--threshold", "2",
                    "--custodians", "a,b,c", "--kcv", "000000");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("nothing was sent"), r.err());
            assertEquals(List.of(), coordinator.received(), "no call reached the coordinator");
        }
    }

    @Test
    void keyImport_withoutKcv_isRefused() throws Exception {
        try (RecordingServer coordinator = new RecordingServer()) {
            Result r = escrow(KEY + "\n", "key", "import", "--coordinator", coordinator.url(), "--token-file",
                    tokenFile().toString(), "--name", "restored", "--algorithm", "AES-256", "--threshold", "2",
                    "--custodians", "a,b,c");
            assertEquals(2, r.exit(), r.err());
            assertTrue(r.err().contains("--kcv"), r.err());
            assertEquals(List.of(), coordinator.received());
        }
    }

    @Test
    void exportFetch_toAPathItCannotWrite_takesNothing() throws Exception {
        Path file = dir.resolve("a-file");
        Files.writeString(file, "x");
        try (RecordingServer coordinator = new RecordingServer()) {
            for (Path out : List.of(dir.resolve("missing").resolve("export.json"), file.resolve("export.json"),
                    file)) {
                Result r = escrow("", "export", "fetch", "req-1", "--out", out.toString(), "--coordinator",
                        coordinator.url(), "--token-file", tokenFile().toString());
                assertEquals(2, r.exit(), out + ": " + r.err());
                assertTrue(r.err().contains("cannot write") || r.err().contains("exists"), r.err());
            }
            assertEquals(List.of(), coordinator.received(), "the one-time delivery was never asked for");
        }
    }

    @Test
    void exportFetch_writesTheWholeFileByRename() throws Exception {
        String export = "{\"requestId\":\"req-1\",\"keyId\":\"k\",\"version\":1,\"kcv\":\"abcdef\","
                + "\"envelope\":\"AQ==\"}";
        try (RecordingServer coordinator = new RecordingServer().answer("POST /v1/requests/req-1/export", export)) {
            Path out = dir.resolve("export.json");
            Result r = escrow("", "export", "fetch", "req-1", "--out", out.toString(), "--coordinator",
                    coordinator.url(), "--token-file", tokenFile().toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals(export, Files.readString(out), "the bundle is written byte for byte, as the coordinator sent it");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(out)));
            try (var files = Files.list(dir)) {
                assertEquals(List.of("export.json", "token"), files.map(p -> p.getFileName().toString()).sorted()
                        .toList(), "no temporary file is left");
            }
        }
    }

    @Test
    void custodianKeygen_withAShortPassphrase_exitsTwoAndSaysWhy() throws Exception {
        Path passphrase = dir.resolve("pass");
        Files.writeString(passphrase, "1234\n");
        Result r = escrow("", "custodian", "keygen", "--id", "custodian-1", "--out", dir.resolve("c.key").toString(),
                "--passphrase-file", passphrase.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("at least 12"), r.err());
        assertEquals("", r.out());
        assertTrue(Files.notExists(dir.resolve("c.key")));
    }
}
