package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.NodeClient;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code escrow requests --node URL}: the requests waiting for answers at a node, in words. */
@Command(name = "requests", mixinStandardHelpOptions = true, description = "List the pending requests at a node.")
final class RequestsCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "the node holding your share")
    String node;

    RequestsCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        try {
            int count = 0;
            for (Object o : new NodeClient(node, tls.trust()).pending()) {
                JsonObject r = (JsonObject) o;
                terminal.out().println(r.getString("requestId") + "  " + r.getString("operation") + " of "
                        + r.getString("keyId") + " v" + r.getInteger("version") + " by " + r.getString("requester")
                        + ": " + r.getString("reason") + " (" + r.getInteger("approvals") + " of "
                        + r.getInteger("threshold") + " approvals, expires " + r.getString("expiresAt") + ")");
                count++;
            }
            if (count == 0) {
                terminal.out().println("no pending requests");
            }
            return ExitCodes.OK;
        } catch (ApiException e) {
            terminal.err().println("escrow requests: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }
}
