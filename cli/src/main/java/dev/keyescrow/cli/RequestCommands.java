package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.core.policy.RequestState;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escrow request use|export|rotate|destroy|compromise KEY ...} asks the quorum;
 * {@code escrow request status|cancel ID} follows a request.
 */
@Command(name = "request", mixinStandardHelpOptions = true, description = "Ask the custodians' quorum, or follow a request.",
        subcommands = {RequestCommands.Use.class, RequestCommands.Export.class, RequestCommands.Rotate.class,
            RequestCommands.Refresh.class, RequestCommands.Reshare.class, RequestCommands.Destroy.class, RequestCommands.Compromise.class, RequestCommands.Status.class,
            RequestCommands.Cancel.class, RequestCommands.Sign.class})
final class RequestCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: use, export, sign, rotate,"
                + " refresh, reshare, destroy, compromise, status or cancel");
    }

    /** What every new request needs. */
    abstract static class NewRequest implements Callable<Integer> {
        // no standard help mixin: its --version would clash with the key's --version V
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "KEY_ID")
        String keyId;
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (custodians read it)")
        String reason;
        @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "600",
                description = "how long custodians have to answer (default 600, at most 86400)")
        int ttl;
        @Option(names = "--version", paramLabel = "V", description = "the key version (default: the active one)")
        Integer version;
        @Option(names = "--json", description = "print the coordinator's JSON answer")
        boolean json;

        abstract String operation();

        /** The request's {@code params}; {@code client} answers what the parameters need from the coordinator. */
        JsonObject params(CoordinatorClient client) throws ApiException, BadInputException {
            return new JsonObject();
        }

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(KeyCommands.terminal(spec), "request " + operation().toLowerCase(), json, () -> {
                var client = coordinator.options.client();
                JsonObject params = params(client);
                JsonObject r = version == null ? client.createRequest(keyId, operation(), reason, ttl, params)
                        : client.createRequest(keyId, operation(), reason, ttl, params, version);
                return json ? r : "request " + r.getString("requestId") + " " + r.getString("state") + ", expires "
                        + r.getString("expiresAt") + "\n  digest " + r.getString("digest")
                        + "\n  custodians answer with: escrow approve " + r.getString("requestId")
                        + " --as ID --key FILE --node URL";
            });
        }
    }

    @Command(name = "use", description = "Ask for a USE session (encrypt, decrypt, sign).")
    static final class Use extends NewRequest {
        @Option(names = "--max-operations", paramLabel = "N", defaultValue = "10", description = "default 10")
        long maxOperations;
        @Option(names = "--session-seconds", paramLabel = "S", defaultValue = "300", description = "default 300")
        long sessionSeconds;

        @Override
        String operation() {
            return "USE";
        }

        @Override
        JsonObject params(CoordinatorClient client) {
            return new JsonObject().put("maxOperations", maxOperations).put("sessionSeconds", sessionSeconds);
        }
    }

    @Command(name = "sign", description = "Ask the quorum to sign messages with a FROST key (the key is never rebuilt).")
    static final class Sign extends NewRequest {
        @Option(names = "--message-file", required = true, paramLabel = "FILE",
                description = "a message to sign, as its file's bytes (repeat for up to 64 messages, 64 KiB each)")
        java.util.List<java.nio.file.Path> messageFiles;

        @Override
        String operation() {
            return "SIGN";
        }

        @Override
        JsonObject params(CoordinatorClient client) throws BadInputException {
            io.vertx.core.json.JsonArray messages = new io.vertx.core.json.JsonArray();
            for (java.nio.file.Path file : messageFiles) {
                messages.add(java.util.Base64.getEncoder().encodeToString(readMessage(file)));
            }
            return new JsonObject().put("messages", messages);
        }

        private static byte[] readMessage(java.nio.file.Path file) throws BadInputException {
            try {
                if (java.nio.file.Files.size(file) > dev.keyescrow.core.request.RequestParams.Sign.MAX_MESSAGE_BYTES) {
                    throw new BadInputException("--message-file " + file + " is larger than 64 KiB");
                }
                return java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw new BadInputException("--message-file " + file + " cannot be read: " + e.getMessage());
            }
        }
    }

    @Command(name = "export",
            description = "Ask to export the key wrapped to a recipient's P-256 public key (lost-key recovery).")
    static final class Export extends NewRequest {
        @Option(names = "--recipient-public-key", required = true, paramLabel = "BASE64",
                description = "the recipient's 65-byte uncompressed P-256 public key, base64")
        String recipient;

        @Override
        String operation() {
            return "EXPORT";
        }

        @Override
        JsonObject params(CoordinatorClient client) {
            return new JsonObject().put("recipientPublicKey", recipient);
        }
    }

    @Command(name = "rotate", description = "Ask for a new version with new material.")
    static final class Rotate extends NewRequest {
        @Override
        String operation() {
            return "ROTATE";
        }
    }

    @Command(name = "refresh",
            description = "Ask for new shares of the same key (same KCV); the old shares are then shredded.")
    static final class Refresh extends NewRequest {
        @Override
        String operation() {
            return "REFRESH";
        }
    }

    @Command(name = "reshare",
            description = "Ask to share the same key among a new custodian set and/or threshold.")
    static final class Reshare extends NewRequest {
        @Option(names = "--threshold", required = true, paramLabel = "T", description = "the new threshold")
        int threshold;
        @Option(names = "--custodians", required = true, split = ",", paramLabel = "ID,ID,...",
                description = "the new custodians (registered, each countersigns the new manifest)")
        java.util.List<String> custodians;

        @Override
        String operation() {
            return "RESHARE";
        }

        /** The holders with the keys and nodes the registry holds now: the custodians approve exactly those. */
        @Override
        JsonObject params(CoordinatorClient client) throws ApiException {
            return new JsonObject().put("threshold", threshold).put("holders", client.reshareHolders(custodians));
        }
    }

    @Command(name = "destroy",
            description = "Ask every node to crypto-shred its share of the version and sign a receipt.")
    static final class Destroy extends NewRequest {
        @Override
        String operation() {
            return "DESTROY";
        }
    }

    @Command(name = "compromise",
            description = "Ask to mark the version COMPROMISED (decrypt only); follow with a rotate.")
    static final class Compromise extends NewRequest {
        @Override
        String operation() {
            return "COMPROMISE";
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show a request's state and history.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "REQUEST_ID")
        String requestId;
        @Option(names = "--json", description = "print JSON")
        boolean json;
        @Option(names = "--wait-for", paramLabel = "STATE",
                description = "wait until the request is in STATE (e.g. ACTIVE, EXECUTED); exit 1 if it ends"
                        + " in another final state or --timeout passes first")
        String waitFor;
        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "how long --wait-for waits (default 120)")
        int timeoutSeconds;

        @Override
        public Integer call() throws Exception {
            Terminal terminal = KeyCommands.terminal(spec);
            if (waitFor != null && (timeoutSeconds < 1 || !isState(waitFor))) {
                terminal.err().println("escrow request status: --wait-for takes a request state such as ACTIVE"
                        + " and --timeout a positive number of seconds");
                return ExitCodes.BAD_INPUT;
            }
            boolean[] reached = {true};
            int code = OperatorCall.run(terminal, "request status", json, () -> {
                JsonObject r = coordinator.options.client().request(requestId);
                if (waitFor != null) {
                    r = awaitState(r);
                    reached[0] = waitFor.equals(r.getString("state"));
                }
                return json ? r : RequestStatusView.describe(r);
            });
            if (code == ExitCodes.OK && !reached[0]) {
                terminal.err().println("escrow request status: " + requestId + " did not reach " + waitFor);
                return ExitCodes.FAILURE;
            }
            return code;
        }

        /** Long-polls until the state is the one waited for, a final one, or the timeout. */
        private JsonObject awaitState(JsonObject view) throws ApiException, BadInputException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(timeoutSeconds);
            JsonObject r = view;
            while (!waitFor.equals(r.getString("state")) && !isFinal(r.getString("state"))) {
                long left = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                r = coordinator.options.client().requestChangedFrom(requestId, r.getString("state"),
                        (int) Math.min(left, 30));
            }
            return r;
        }

        private static boolean isFinal(String state) {
            return isState(state) && RequestState.valueOf(state).isTerminal();
        }

        private static boolean isState(String name) {
            return java.util.Arrays.stream(RequestState.values()).anyMatch(s -> s.name().equals(name));
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a request (operator only).")
    static final class Cancel implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "REQUEST_ID")
        String requestId;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(KeyCommands.terminal(spec), "request cancel", false, () -> {
                JsonObject r = coordinator.options.client().cancel(requestId);
                return requestId + " " + r.getString("state");
            });
        }
    }

}
