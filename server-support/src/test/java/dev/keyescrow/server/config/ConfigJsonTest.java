package dev.keyescrow.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyescrow.server.cluster.ClusterSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared parts of both configuration files, read strictly and written back the same. */
class ConfigJsonTest {
    @TempDir
    Path dir;

    /** A file form with the shared parts, as each server's file nests them. */
    record Sample(ClusterForm cluster, TlsForm tls, Integer limit) {
    }

    private Path file(String json) throws Exception {
        Path file = dir.resolve("sample.json");
        Files.writeString(file, json);
        return file;
    }

    private String refusal(String json) throws Exception {
        Path file = file(json);
        return assertThrows(ConfigFileException.class, () -> ConfigJson.read(file, Sample.class)).getMessage();
    }

    @Test
    void aFormWritten_readsBackEqual_withAbsentSettingsLeftOut() throws Exception {
        Sample sample = new Sample(new ClusterForm("escrow", "10.0.1.5", 5701, List.of("10.0.1.5:5701")), null, null);
        Path file = dir.resolve("written.json");
        ConfigJson.write(file, sample);
        assertEquals(sample, ConfigJson.read(file, Sample.class));
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertFalse(text.contains("null"), text);
        assertFalse(text.contains("limit"), text);
        assertEquals(new ClusterSettings("escrow", "10.0.1.5", 5701, List.of("10.0.1.5:5701")),
                sample.cluster().settings());
    }

    @Test
    void clusterMembers_mayBeLeftOut() throws Exception {
        Sample read = ConfigJson.read(file("{\"cluster\": {\"name\": \"e\", \"bind\": \"h\", \"port\": 1}}"),
                Sample.class);
        assertEquals(List.of(), read.cluster().settings().members());
    }

    @Test
    void everyRefusal_namesTheSetting() throws Exception {
        assertEquals("sample.json: unknown setting \"cluster.colour\"",
                refusal("{\"cluster\": {\"name\": \"e\", \"bind\": \"h\", \"port\": 1, \"colour\": \"blue\"}}"));
        assertEquals("sample.json: unknown setting \"colour\"", refusal("{\"colour\": \"blue\"}"));
        assertEquals("sample.json: limit must be an integer in [-2147483648, 2147483647] (no fraction, no exponent)",
                refusal("{\"limit\": 2.9}"));
        assertEquals("sample.json: limit must be an integer in [-2147483648, 2147483647] (no fraction, no exponent)",
                refusal("{\"limit\": \"3\"}"));
        assertEquals("cluster.port must be a port number (0..65535)",
                refusal("{\"cluster\": {\"name\": \"e\", \"bind\": \"h\", \"port\": 70000}}"));
        assertEquals("missing setting: http.tls.privateKey", refusal("{\"tls\": {\"certificate\": \"c.pem\"}}"));
        assertEquals("sample.json: the file must hold a JSON object", refusal("null"));
        String duplicate = refusal("{\"limit\": 1, \"limit\": 2}");
        assertEquals(true, duplicate.startsWith("sample.json: ") && duplicate.contains("limit"), duplicate);
    }
}
