package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escrow session encrypt|decrypt|sign REQUEST_ID}: one operation of an ACTIVE USE
 * session, as its requester. The token comes from {@code --token-file}, {@code --cluster} or
 * {@code ESCROW_TOKEN}, never from the command line; data is binary, from {@code --in} or
 * stdin, to {@code --out} (written whole, mode 0600, checked before the operation is spent) or
 * stdout. Base64 is the tool's business.
 */
@Command(name = "session", mixinStandardHelpOptions = true,
        description = "Use an ACTIVE USE session: encrypt, decrypt or sign binary data.",
        subcommands = {SessionCommands.Encrypt.class, SessionCommands.Decrypt.class, SessionCommands.Sign.class})
final class SessionCommands implements Runnable {
    /** Above any body a coordinator accepts (16 MiB of JSON, base64 inflating by 4/3). */
    static final int MAX_INPUT = 12 * 1024 * 1024;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: encrypt, decrypt or sign");
    }

    /** What every session operation has: the session, the coordinator, where data comes from and goes. */
    abstract static class Operation implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "REQUEST_ID", description = "the ACTIVE USE request")
        String requestId;
        @Option(names = "--in", paramLabel = "FILE", description = "read the data from FILE (default: stdin)")
        Path in;
        @Option(names = "--out", paramLabel = "FILE",
                description = "write the result to FILE, new, mode 0600 (default: stdout)")
        Path out;

        abstract String name();

        /** Sends {@code data} (base64) and returns the base64 result. */
        abstract String call(CoordinatorClient client, String data) throws ApiException;

        @Override
        public Integer call() throws Exception {
            Terminal terminal = KeyCommands.terminal(spec);
            CoordinatorClient client = coordinator.options.client();
            byte[] data = read(terminal);
            byte[] result = null;
            // the output is reserved before the session spends an operation on it
            try (AtomicFile file = out == null ? null : AtomicFile.prepare(out)) {
                String encoded = Base64.getEncoder().encodeToString(data);
                String answer;
                try {
                    answer = call(client, encoded);
                } catch (ApiException e) {
                    terminal.err().println("escrow session " + name() + ": " + e.getMessage());
                    return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
                }
                try {
                    result = Base64.getDecoder().decode(answer == null ? "" : answer);
                } catch (IllegalArgumentException e) {
                    terminal.err().println("escrow session " + name() + ": the coordinator's answer is not base64");
                    return ExitCodes.FAILURE;
                }
                if (file == null) {
                    terminal.out().write(result);
                    terminal.out().flush();
                } else {
                    file.commit(result);
                    // stdout stays empty for pipelines; a person at the terminal still sees that it worked
                    terminal.err().println("escrow session " + name() + ": wrote " + result.length + " bytes to "
                            + out);
                }
                return ExitCodes.OK;
            } catch (IOException e) {
                terminal.err().println("escrow session " + name() + ": cannot write " + out + " ("
                        + e.getClass().getSimpleName() + ")");
                return ExitCodes.FAILURE;
            } finally {
                Arrays.fill(data, (byte) 0);
                if (result != null) {
                    Arrays.fill(result, (byte) 0);
                }
            }
        }

        private byte[] read(Terminal terminal) throws BadInputException {
            try (InputStream stream = in == null ? terminal.in() : Files.newInputStream(in)) {
                byte[] data = stream.readNBytes(MAX_INPUT + 1);
                if (data.length > MAX_INPUT) {
                    Arrays.fill(data, (byte) 0);
                    throw new BadInputException("the data is larger than " + MAX_INPUT + " bytes");
                }
                return data;
            } catch (IOException e) {
                throw new BadInputException("cannot read " + (in == null ? "stdin" : in) + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** An option for the additional authenticated data, UTF-8 text. */
    abstract static class WithAad extends Operation {
        @Option(names = "--aad", paramLabel = "TEXT",
                description = "additional authenticated data (UTF-8); decrypt needs the same as encrypt")
        String aad;

        String aad() {
            return aad == null ? null : Base64.getEncoder().encodeToString(aad.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = "Encrypt data with the session's key (AES-256-GCM); the ciphertext is binary.")
    static final class Encrypt extends WithAad {
        @Override
        String name() {
            return "encrypt";
        }

        @Override
        String call(CoordinatorClient client, String data) throws ApiException {
            JsonObject answer = client.encrypt(requestId, data, aad());
            return answer.getString("ciphertext");
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = "Decrypt a ciphertext of 'escrow session encrypt' with the session's key.")
    static final class Decrypt extends WithAad {
        @Override
        String name() {
            return "decrypt";
        }

        @Override
        String call(CoordinatorClient client, String data) throws ApiException {
            return client.decrypt(requestId, data, aad()).getString("plaintext");
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Sign a message with the session's EC-P256 or Ed25519 key; the signature is binary.")
    static final class Sign extends Operation {
        @Override
        String name() {
            return "sign";
        }

        @Override
        String call(CoordinatorClient client, String data) throws ApiException {
            return client.sign(requestId, data).getString("signature");
        }
    }
}
