package dev.keyescrow.server.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyescrow.journal.files.PrivateFiles;
import dev.keyescrow.server.http.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes a configuration file through its typed form, so that one record says what
 * the file holds for the writer (the development cluster, {@code escrow node enrol}) and the
 * server alike. Reading is {@link StrictJson}'s: unknown settings, duplicate keys, numbers with a
 * fraction or exponent where an integer belongs and other type coercions are refused, naming
 * the setting. Writing leaves absent (null) settings out, so a file read and written again
 * keeps its defaults implicit.
 */
public final class ConfigJson {
    private static final ObjectWriter WRITER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL).build().writerWithDefaultPrettyPrinter();

    private ConfigJson() {
    }

    /**
     * The typed form in {@code file}. A refusal of the JSON itself names the file; a refusal by
     * the form's constructors is their message (it names the setting).
     */
    public static <T> T read(Path file, Class<T> type) throws ConfigFileException {
        String name = String.valueOf(file.getFileName());
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigFileException(name + ": cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        T value;
        try {
            value = StrictJson.reader(type).readValue(bytes);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigFileException(name + ": unknown setting \"" + StrictJson.pathOf(e) + "\"");
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw new ConfigFileException(invalid.getMessage());
            }
            throw new ConfigFileException(name + ": " + StrictJson.problem(e));
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(name + ": " + StrictJson.problem(e));
        } catch (IOException e) {
            throw new ConfigFileException(name + ": cannot read it as JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (value == null) {
            throw new ConfigFileException(name + ": the file must hold a JSON object");
        }
        return value;
    }

    /** {@code form} as the file's bytes (pretty-printed, absent settings left out). */
    public static byte[] bytes(Object form) throws IOException {
        return WRITER.writeValueAsBytes(form);
    }

    /** Replaces {@code file} with {@code form}, private to the user (it may name secret files). */
    public static void write(Path file, Object form) throws IOException {
        PrivateFiles.replace(file, bytes(form));
    }
}
