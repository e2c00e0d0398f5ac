package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code escrow status}: the coordinator and every enrolled node — up or not, which token
 * (kind, label, epoch), and each journal's head — so an operator sees at a glance which
 * members are down and whether their tokens answer.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show which members are up, their tokens and their journal heads.")
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CoordinatorOptionsMixin coordinator;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = KeyCommands.terminal(spec);
        CoordinatorClient client = coordinator.options.client();
        try {
            client.health();
        } catch (ApiException e) {
            terminal.out().println("coordinator  DOWN  " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        terminal.out().println("coordinator  up");
        int down = 0;
        for (Object o : client.nodes()) {
            JsonObject enrolled = (JsonObject) o;
            String id = enrolled.getString("id");
            NodeClient node = new NodeClient(enrolled.getString("url"), coordinator.options.trust());
            try {
                JsonObject description = node.node();
                boolean pinned = enrolled.getString("identityFingerprint", "").equals(
                        description.getString("identityFingerprint"));
                JsonObject audit = node.audit();
                terminal.out().println(String.format("%-12s up    token %s (%s) epoch %d, journal %d records head %s%s",
                        id, description.getString("vault"), description.getString("token"),
                        description.getLong("epoch", 0L), audit.getLong("sequence", 0L),
                        shortHex(audit.getString("head", "")), pinned ? "" : "  IDENTITY DIFFERS FROM ENROLMENT"));
                if (!pinned) {
                    down++;
                }
            } catch (ApiException e) {
                terminal.out().println(String.format("%-12s DOWN  %s", id, e.getMessage()));
                down++;
            }
        }
        return down == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private static String shortHex(String hex) {
        return hex.length() > 16 ? hex.substring(0, 16) + "..." : hex;
    }
}
