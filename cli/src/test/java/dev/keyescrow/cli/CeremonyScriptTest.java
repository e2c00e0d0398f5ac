package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code docs/ceremony.md} cannot drift from the command line: every {@code sh} block of the page
 * runs, in order and as written, against a real development cluster (separate JVMs, SoftHSM2
 * tokens), and every {@code escrow ...} command the page names anywhere must exist with the
 * options it is given.
 */
class CeremonyScriptTest {
    private static final Path CEREMONY = Path.of("..", "docs", "ceremony.md");
    private static final Pattern SH_BLOCK = Pattern.compile("(?ms)^```sh\\n(.*?)^```");
    private static final Pattern INLINE = Pattern.compile("`(escrow [^`]+)`");

    @TempDir
    Path work;

    @AfterEach
    void stopWhatTheScriptLeftRunning() throws Exception {
        if (Files.exists(work.resolve("cluster").resolve("processes.json"))) {
            Escrow.run(new Terminal(System.in, new PrintStream(new ByteArrayOutputStream()), System.err),
                    "cluster", "stop", "--dir", work.resolve("cluster").toString());
        }
    }

    @Test
    void everyShBlockRunsOnADevelopmentCluster() throws Exception {
        List<String> blocks = shBlocks();
        assertTrue(blocks.size() >= 5, "the page lost its command blocks: " + blocks.size());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        StringBuilder script = new StringBuilder()
                .append("set -eu\n")
                .append("escrow() { \"$ESCROW_JAVA\" -cp \"$ESCROW_CP\" dev.keyescrow.cli.Escrow \"$@\"; }\n")
                .append("D=\"$ESCROW_REHEARSAL_DIR\"\n");
        for (int i = 0; i < blocks.size(); i++) {
            script.append("echo '### block ").append(i + 1).append("'\n").append(blocks.get(i));
        }
        Path file = Files.writeString(work.resolve("ceremony.sh"), script.toString());
        ProcessBuilder builder = new ProcessBuilder("sh", file.toString()).directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve("ceremony.out").toFile());
        builder.environment().remove("ESCROW_PASSPHRASE");
        builder.environment().put("ESCROW_JAVA", java);
        builder.environment().put("ESCROW_CP", System.getProperty("java.class.path"));
        builder.environment().put("ESCROW_REHEARSAL_DIR", work.resolve("cluster").toString());
        Process process = builder.start();
        boolean ended = process.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            process.destroyForcibly();
        }
        String output = Files.readString(work.resolve("ceremony.out"));
        assertTrue(ended, "the script did not end; output:\n" + output);
        assertEquals(0, process.exitValue(), "a command of docs/ceremony.md failed; output:\n" + output);
        assertTrue(output.contains("### block " + blocks.size()), output);
        assertTrue(output.contains("ACTIVE (2 of 2 approvals)"), "the USE request did not become ACTIVE:\n" + output);
        assertTrue(output.contains("shredded by  node-1, node-2, node-3")
                || output.contains("EXECUTED (2 of 2 approvals)"), "the destroy did not execute:\n" + output);
        assertTrue(Pattern.compile("(?m)^OK: \\d+ records, head [0-9a-f]{64}$").matcher(output).find(),
                "the journal check did not pass:\n" + output);
    }

    @Test
    void everyCommandThePageNamesExistsWithItsOptions() throws IOException {
        CommandLine root = Escrow.commandLine(new Terminal(System.in, System.out, System.err));
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (String command : namedCommands()) {
            checked++;
            String problem = CommandCheck.problem(root, command);
            if (problem != null) {
                problems.add(problem + "  in: " + command);
            }
        }
        assertTrue(checked >= 40, "found only " + checked + " commands on the page");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theCheckCatchesAMisspeltOptionAndAnUnknownCommand() {
        CommandLine root = Escrow.commandLine(new Terminal(System.in, System.out, System.err));
        assertFalse(CommandCheck.problem(root, "escrow countersign payments --as x --coordinator-fingerprnt HEX") == null);
        assertFalse(CommandCheck.problem(root, "escrow key destroy payments") == null);
        assertEquals(null, CommandCheck.problem(root, "escrow request export|rotate|destroy|compromise"));
        assertEquals(null, CommandCheck.problem(root, "escrow approve <requestId> ... --deny"));
    }

    private static List<String> shBlocks() throws IOException {
        List<String> blocks = new ArrayList<>();
        Matcher m = SH_BLOCK.matcher(Files.readString(CEREMONY));
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }

    /** Inline {@code `escrow ...`} spans, and each {@code escrow} invocation in the sh blocks. */
    private static List<String> namedCommands() throws IOException {
        String page = Files.readString(CEREMONY);
        List<String> commands = new ArrayList<>();
        Matcher inline = INLINE.matcher(SH_BLOCK.matcher(page).replaceAll(""));
        while (inline.find()) {
            // "\|" separates alternatives inside a table cell; a bare "|" is a shell pipe
            for (String part : inline.group(1).replace("\\|", " ").split("\\s\\|\\s")) {
                if (part.trim().startsWith("escrow")) {
                    commands.add(part);
                }
            }
        }
        for (String block : shBlocks()) {
            String joined = block.replace("\\\n", " ");
            Matcher m = Pattern.compile("(?=(?<![\\w-])(escrow [^\\n|]*))").matcher(joined);
            while (m.find()) {
                commands.add(m.group(1));
            }
        }
        return commands;
    }
}
