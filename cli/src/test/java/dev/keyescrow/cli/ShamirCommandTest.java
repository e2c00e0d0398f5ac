package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code escrow shamir} commands, run in-process with real stdin/stdout/stderr streams. */
class ShamirCommandTest {
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : Arrays.asList(out.split("\n"));
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

    @Test
    void splitThenCombineAnyThreeOfFive() {
        Result split = escrow(SECRET + "\n", "shamir", "split", "-t", "3", "-n", "5");
        assertEquals(0, split.exit(), split.err());
        List<String> shares = split.lines();
        assertEquals(5, shares.size());
        shares.forEach(s -> assertTrue(s.startsWith("kes1-"), s));
        Result combined = escrow(shares.get(4) + "\n\n" + shares.get(0) + "\n  " + shares.get(2) + "  \n",
                "shamir", "combine");
        assertEquals(0, combined.exit(), combined.err());
        assertEquals(SECRET + "\n", combined.out());
        assertEquals("", combined.err());
    }

    @Test
    void fewerThanThresholdIsAnErrorNotAWrongSecret() {
        List<String> shares = escrow(SECRET, "shamir", "split", "-t", "3", "-n", "5").lines();
        Result combined = escrow(shares.get(1) + "\n" + shares.get(3) + "\n", "shamir", "combine");
        assertEquals(2, combined.exit());
        assertEquals("", combined.out());
        assertTrue(combined.err().contains("2 shares were given but the threshold is 3"), combined.err());
    }

    @Test
    void aMistypedShareIsNamedByLineAndProblem() {
        List<String> shares = escrow(SECRET, "shamir", "split", "-t", "2", "-n", "3").lines();
        String typo = shares.get(1).substring(0, 40) + (shares.get(1).charAt(40) == '0' ? '1' : '0')
                + shares.get(1).substring(41);
        Result combined = escrow(shares.get(0) + "\n" + typo + "\n", "shamir", "combine");
        assertEquals(2, combined.exit());
        assertTrue(combined.err().contains("line 2") && combined.err().contains("checksum"), combined.err());
        assertEquals("", combined.out());
    }

    @Test
    void badSplitInputExitsTwoWithAMessageAndPrintsNoShare() {
        List<Result> results = new ArrayList<>();
        results.add(escrow("not-hex", "shamir", "split", "-t", "2", "-n", "3"));
        results.add(escrow("abc", "shamir", "split", "-t", "2", "-n", "3"));
        results.add(escrow("", "shamir", "split", "-t", "2", "-n", "3"));
        results.add(escrow("00", "shamir", "split", "-t", "4", "-n", "3"));
        results.add(escrow("00", "shamir", "split", "-t", "1", "-n", "3"));
        results.add(escrow("00", "shamir", "split", "-t", "2", "-n", "256"));
        results.add(escrow("00", "shamir", "split", "-t", "2"));
        results.add(escrow("00".repeat(65537), "shamir", "split", "-t", "2", "-n", "3"));
        for (Result r : results) {
            assertEquals(2, r.exit(), r.err());
            assertEquals("", r.out());
            assertTrue(!r.err().isBlank());
        }
        assertTrue(results.get(0).err().contains("secret must be hex"), results.get(0).err());
        assertTrue(results.get(3).err().contains("-t 4 is invalid"), results.get(3).err());
    }

    @Test
    void mixingTwoSplitsIsRefusedByName() {
        List<String> a = escrow(SECRET, "shamir", "split", "-t", "2", "-n", "3").lines();
        List<String> b = escrow(SECRET, "shamir", "split", "-t", "2", "-n", "3").lines();
        Result combined = escrow(a.get(0) + "\n" + b.get(1) + "\n", "shamir", "combine");
        assertEquals(2, combined.exit());
        assertTrue(combined.err().contains("different splits"), combined.err());
    }

    @Test
    void everyCommandInTheTreeHasHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(Escrow.commandLine(new Terminal(new ByteArrayInputStream(new byte[0]), System.out, System.err)),
                new ArrayList<>(), paths);
        assertTrue(paths.size() > 40, "the command tree has " + paths.size() + " commands");
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Result r = escrow("", args.toArray(String[]::new));
            assertEquals(0, r.exit(), String.join(" ", args));
            assertTrue(r.out().contains("Usage:"), String.join(" ", args) + ": " + r.out());
        }
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        command.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && sub.getCommandName().equals(name)) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, out);
            }
        });
    }

    @Test
    void unknownCommandIsAUsageError() {
        Result r = escrow("", "frobnicate");
        assertEquals(2, r.exit());
        assertTrue(!r.err().isBlank());
    }
}
