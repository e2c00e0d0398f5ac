package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class JarVersionTest {
    @Test
    void hashesTheWholeFile(@TempDir Path dir) throws Exception {
        byte[] content = new byte[200_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path jar = Files.write(dir.resolve("escrow.jar"), content);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        assertEquals(expected, JarVersion.sha256Hex(jar));
    }

    @Test
    void versionNamesTheReleaseAndTheJarHash() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new EscrowCommand(null));
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--version"));
        String[] lines = out.toString().split("\\R");
        assertEquals(JarVersion.RELEASE, lines[0]);
        assertTrue(lines[1].startsWith("jar sha256: "), lines[1]);
    }
}
