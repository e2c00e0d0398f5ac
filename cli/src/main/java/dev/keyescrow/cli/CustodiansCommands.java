package dev.keyescrow.cli;

import dev.keyescrow.core.signature.KeyFingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code escrow custodians add|list|retire}: registering custodians (a registration alone pins
 * nothing), and retiring an id that no live key version uses.
 */
@Command(name = "custodians", mixinStandardHelpOptions = true, description = "Register, list and retire custodians.",
        subcommands = {CustodiansCommands.Add.class, CustodiansCommands.ListAll.class, CustodiansCommands.Retire.class})
final class CustodiansCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add, list or retire");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a custodian's public key (from 'escrow custodian keygen') at a node.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Option(names = "--id", required = true, paramLabel = "ID")
        String id;
        @Option(names = "--public-key", required = true, paramLabel = "BASE64")
        String publicKey;
        @Option(names = "--node", required = true, paramLabel = "NODE_ID", description = "the node that will hold the share")
        String node;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(KeyCommands.terminal(spec), "custodians add", false, () -> {
                JsonObject c = coordinator.options.client().registerCustodian(id, publicKey, node);
                return "registered " + c.getString("id") + " on " + c.getString("nodeId");
            });
        }
    }

    private static String fingerprint(String publicKey) {
        try {
            return KeyFingerprint.of(java.util.Base64.getDecoder().decode(publicKey));
        } catch (IllegalArgumentException e) {
            return "(not base64)";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List registered custodians.")
    static final class ListAll implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(KeyCommands.terminal(spec), "custodians list", false, () -> {
                JsonArray all = coordinator.options.client().custodians();
                StringBuilder out = new StringBuilder();
                for (Object o : all) {
                    JsonObject c = (JsonObject) o;
                    // the fingerprint is what keygen printed and the review shows; base64 is what was registered
                    out.append(c.getString("id")).append(" on ").append(c.getString("nodeId")).append(" key SHA-256 ")
                            .append(fingerprint(c.getString("publicKey"))).append(" base64 ")
                            .append(c.getString("publicKey"));
                    JsonObject retired = c.getJsonObject("retirement");
                    if (retired != null) {
                        out.append(" RETIRED ").append(retired.getString("retiredAt")).append(" by ")
                                .append(retired.getString("operator")).append(": ").append(retired.getString("reason"));
                    }
                    out.append('\n');
                }
                return out.length() == 0 ? "no custodians" : out.toString().stripTrailing();
            });
        }
    }

    @Command(name = "retire", mixinStandardHelpOptions = true,
            description = {"Retire a custodian id for good (POST /v1/custodians/{id}/retirement): refused while a key"
                    + " version that is not DESTROYED, a running ceremony or an open RESHARE names it.",
                "A retired id is never registered again, named as a holder or counted; its key stays reserved to it."
                    + " The retirement is journaled with your operator name and the reason."})
    static final class Retire implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "ID", description = "the custodian id")
        String id;
        @Option(names = "--reason", required = true, paramLabel = "TEXT",
                description = "why, one line (kept in the coordinator's journal)")
        String reason;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(KeyCommands.terminal(spec), "custodians retire", false, () -> {
                JsonObject r = coordinator.options.client().retireCustodian(id, reason);
                return "retired " + r.getString("custodianId") + " at " + r.getString("retiredAt") + " by "
                        + r.getString("operator") + ": " + r.getString("reason");
            });
        }
    }
}
