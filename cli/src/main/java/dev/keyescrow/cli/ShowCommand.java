package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow show REQUEST --node URL}: the decoded canonical request, its digest recomputed
 * here, and whether the coordinator's signature verifies.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Decode a request locally, recompute its digest and check the coordinator's signature.")
final class ShowCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "REQUEST", description = "the request id")
    String requestId;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "the node holding your share")
    String node;

    ShowCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        try {
            NodeClient client = new NodeClient(node, tls.trust());
            // the key the node pins, fetched once: the signature is checked with exactly the key shown
            byte[] coordinatorKey = Base64.getDecoder().decode(client.node().getString("coordinatorPublicKey", ""));
            ReviewedRequest reviewed = CustodianDesk.review(client, requestId, coordinatorKey);
            terminal.out().println(reviewed.describe());
            terminal.out().println("  coordinator signature verifies under the key pinned by the node, SHA-256 "
                    + EcdsaP256.fingerprint(coordinatorKey) + " (compare with ceremony step A1)");
            return ExitCodes.OK;
        } catch (CustodianDesk.ReviewException e) {
            terminal.err().println("escrow show: DO NOT APPROVE: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (SignatureException | IllegalArgumentException e) {
            terminal.err().println("escrow show: DO NOT APPROVE: the node pins no valid coordinator key");
            return ExitCodes.FAILURE;
        } catch (ApiException e) {
            terminal.err().println("escrow show: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }
}
