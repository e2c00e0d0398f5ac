package dev.keyescrow.hsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinSourceTest {
    @TempDir
    Path directory;

    @Test
    void fileDropsTrailingNewline_andToStringNamesOnlyTheSource() throws Exception {
        Path file = directory.resolve("pin");
        Files.writeString(file, "s3cret-pin\r\n", StandardCharsets.UTF_8);
        PinSource source = PinSource.fromFile(file);
        assertArrayEquals("s3cret-pin".toCharArray(), source.read());
        assertFalse(source.toString().contains("s3cret"));
        assertTrue(source.toString().contains("pin"));
    }

    @Test
    void emptyOrMissingFile_isTokenFailure() throws Exception {
        Path empty = directory.resolve("empty");
        Files.writeString(empty, "\n", StandardCharsets.UTF_8);
        assertThrows(TokenFailureException.class, () -> PinSource.fromFile(empty).read());
        assertThrows(TokenFailureException.class, () -> PinSource.fromFile(directory.resolve("none")).read());
    }

    @Test
    void unsetEnvironmentVariable_isTokenFailure_namingTheVariable() {
        TokenFailureException e = assertThrows(TokenFailureException.class,
                () -> PinSource.fromEnvironment("KEYESCROW_TEST_UNSET_PIN_VARIABLE").read());
        assertTrue(e.getMessage().contains("KEYESCROW_TEST_UNSET_PIN_VARIABLE"));
    }
}
