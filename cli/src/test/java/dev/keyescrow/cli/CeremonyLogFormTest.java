package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The printable log form has one line for every step of the ceremony script, with what to record. */
class CeremonyLogFormTest {
    private static final Pattern SCRIPT_STEP =
            Pattern.compile("(?m)^\\| ([0-9A-G][0-9]*(?:\\.[0-9]+)?) \\| ([^|]*) \\|.*\\| ([^|]*) \\|$");
    private static final Pattern PROSE_STEP = Pattern.compile("(?m)^\\*\\*(F[0-9]) — ([^*]*)\\*\\*");
    private static final Pattern FORM_LINE =
            Pattern.compile("(?m)^\\| ([0-9A-G][0-9]*(?:\\.[0-9]+)?) \\| \\| ([^|]*) \\| ([^|]*) \\| \\| \\|$");

    @Test
    void theFormHasALineForEveryStepOfTheScript() throws IOException {
        List<String> script = new ArrayList<>();
        String page = Files.readString(Path.of("..", "docs", "ceremony.md"));
        Matcher m = SCRIPT_STEP.matcher(page);
        while (m.find()) {
            script.add(m.group(1) + " | " + m.group(2).trim() + " | " + m.group(3).trim());
        }
        Matcher prose = PROSE_STEP.matcher(page);
        while (prose.find()) {
            script.add(prose.group(1) + " | — | " + prose.group(2).trim().replaceAll("\\.$", ""));
        }
        List<String> form = new ArrayList<>();
        Matcher f = FORM_LINE.matcher(Files.readString(Path.of("..", "docs", "ceremony-log.md")));
        while (f.find()) {
            form.add(f.group(1) + " | " + f.group(2).trim() + " | " + f.group(3).trim());
        }
        assertTrue(script.size() >= 45, "the script lost its steps: " + script.size());
        List<String> missing = new ArrayList<>(script);
        missing.removeAll(form);
        List<String> extra = new ArrayList<>(form);
        extra.removeAll(script);
        assertEquals(List.of(), missing, "steps of ceremony.md without their line in ceremony-log.md");
        assertEquals(List.of(), extra, "lines of ceremony-log.md for steps ceremony.md no longer has");
    }
}
