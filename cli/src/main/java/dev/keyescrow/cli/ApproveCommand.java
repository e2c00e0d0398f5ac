package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.cli.custodian.ReviewedRequest;
import dev.keyescrow.core.request.Decision;
import dev.keyescrow.core.secret.SecretBytes;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow approve REQUEST --as ID --key FILE --node URL [--deny] [--yes]}: reviews the
 * request on this machine, shows it, asks for confirmation (unless {@code --yes}), then signs
 * the answer with the custodian's key and sends it to the node.
 */
@Command(name = "approve", mixinStandardHelpOptions = true,
        description = "Review a request, then approve (or --deny) it with your key at your node.")
final class ApproveCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "REQUEST", description = "the request id")
    String requestId;

    @Option(names = "--as", required = true, paramLabel = "ID", description = "your custodian id")
    String custodianId;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "your encrypted key file")
    Path keyFile;

    @Option(names = "--node", required = true, paramLabel = "URL", description = "the node holding your share")
    String node;

    @Option(names = "--deny", description = "answer DENY instead of APPROVE")
    boolean deny;

    @Option(names = "--yes", description = "do not ask for confirmation")
    boolean yes;

    @ArgGroup(exclusive = true)
    PassphraseOptions passphrase = new PassphraseOptions();

    ApproveCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        NodeClient client = new NodeClient(node, tls.trust());
        Decision decision = deny ? Decision.DENY : Decision.APPROVE;
        try {
            ReviewedRequest reviewed = CustodianDesk.review(client, requestId, null);
            terminal.out().println(reviewed.describe());
            if (!yes) {
                terminal.out().print(decision + " as " + custodianId + "? Type yes to sign: ");
                terminal.out().flush();
                String answer = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8))
                        .readLine();
                if (!"yes".equals(answer == null ? null : answer.trim())) {
                    terminal.err().println("escrow approve: not signed");
                    return ExitCodes.BAD_INPUT;
                }
            }
            char[] secret = PassphraseSource.read(passphrase.environmentVariable, passphrase.file,
                    "passphrase of " + keyFile.getFileName(), false);
            try (SecretBytes key = CustodianKeyFile.read(keyFile, secret)) {
                JsonObject result = CustodianDesk.answer(client, reviewed, custodianId, decision, key);
                terminal.out().println(decision + " accepted: " + result.getInteger("approvals") + " of "
                        + result.getInteger("threshold") + " approvals, request " + result.getString("state"));
                return ExitCodes.OK;
            } finally {
                Arrays.fill(secret, '\0');
            }
        } catch (CustodianDesk.ReviewException e) {
            terminal.err().println("escrow approve: not signed: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (PassphraseSource.MissingPassphraseException | CustodianKeyFile.KeyFileException e) {
            throw new BadInputException(e.getMessage());
        } catch (ApiException e) {
            terminal.err().println("escrow approve: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }
}
