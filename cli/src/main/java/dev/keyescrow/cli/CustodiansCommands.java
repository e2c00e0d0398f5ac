package dev.keyescrow.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code escrow custodians add|list}: registering custodians (a registration alone pins nothing). */
@Command(name = "custodians", mixinStandardHelpOptions = true, description = "Register and list custodians.",
        subcommands = {CustodiansCommands.Add.class, CustodiansCommands.ListAll.class})
final class CustodiansCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: add or list");
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
                    out.append(c.getString("id")).append(" on ").append(c.getString("nodeId")).append(" key ")
                            .append(c.getString("publicKey")).append('\n');
                }
                return out.length() == 0 ? "no custodians" : out.toString().stripTrailing();
            });
        }
    }
}
