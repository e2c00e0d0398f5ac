package dev.keyescrow.cli.custodian;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command whose stdout is a pipe still prompts on the person's terminal: here a real
 * pseudo-terminal from util-linux {@code script}, with {@code escrow custodian keygen ... | cat}
 * running inside it, answered only once each prompt has appeared (so echo would show).
 */
class PipelinePromptTest {
    private static final String PASSPHRASE = "correct horse battery staple";

    @Test
    void promptsOnTheTerminalWhenStdoutIsAPipe(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("alice.key");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String inner = "'" + java + "' -cp '" + System.getProperty("java.class.path") + "' dev.keyescrow.cli.Escrow"
                + " custodian keygen --id alice --out '" + keyFile + "' | cat; echo exit=$?";
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", "sh -c \"" + inner + "\"", "/dev/null");
        builder.environment().remove(PassphraseSource.DEFAULT_VARIABLE);
        builder.redirectErrorStream(true);
        Process process = builder.start();
        Output output = new Output(process.getInputStream());
        output.start();
        try (OutputStream keyboard = process.getOutputStream()) {
            output.awaitText("passphrase for the new key of alice:");
            keyboard.write((PASSPHRASE + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            output.awaitText("again:");
            keyboard.write((PASSPHRASE + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
            output.awaitText("exit=");
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "script did not end");
        } finally {
            process.destroyForcibly();
        }
        output.join(10_000);
        String seen = output.text();
        assertTrue(seen.contains("exit=0"), seen);
        assertTrue(Files.size(keyFile) > 0, "no key file written");
        assertFalse(seen.contains(PASSPHRASE), "the passphrase was echoed on the terminal");
        assertEquals(1, seen.lines().filter(line -> line.matches("[A-Za-z0-9+/]{43}=")).count(),
                "the public key reaches the pipe: " + seen);
    }

    /** Collects what the pseudo-terminal shows. */
    private static final class Output extends Thread {
        private final InputStream in;
        private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

        Output(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buffer = new byte[4096];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (seen) {
                        seen.write(buffer, 0, n);
                        seen.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }

        String text() {
            synchronized (seen) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }

        void awaitText(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            synchronized (seen) {
                while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        throw new AssertionError("never saw \"" + text + "\"; saw: " + seen.toString(StandardCharsets.UTF_8));
                    }
                    seen.wait(left);
                }
            }
        }
    }
}
