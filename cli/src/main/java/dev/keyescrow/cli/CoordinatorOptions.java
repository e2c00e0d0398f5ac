package dev.keyescrow.cli;

import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.TlsTrust;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How an operator command reaches the coordinator: {@code --cluster DIR} (a development
 * cluster's {@code cluster.json} and token file) or {@code --coordinator URL --token-file FILE}.
 * The token is read from a file (or the {@code ESCROW_TOKEN} variable), never given on the command line.
 */
final class CoordinatorOptions {
    @Option(names = "--cluster", paramLabel = "DIR", description = "a development cluster's directory (cluster.json)")
    Path cluster;

    @Option(names = "--coordinator", paramLabel = "URL", description = "the coordinator's URL")
    String coordinator;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding your operator token (default: the token in $" + "ESCROW_TOKEN)")
    Path tokenFile;

    @ArgGroup(exclusive = false)
    TlsOptions tls = new TlsOptions();

    /** The TLS trust of {@code --ca-file} and {@code --tls-pin}, for the coordinator and the nodes it lists. */
    TlsTrust trust() throws BadInputException {
        return (tls == null ? new TlsOptions() : tls).trust();
    }

    /** The operator token of the environment, used when no token file is named. */
    static final String TOKEN_VARIABLE = "ESCROW_TOKEN";

    private static String environmentToken() {
        String value = System.getenv(TOKEN_VARIABLE);
        return value == null || value.isBlank() ? null : value.trim();
    }

    CoordinatorClient client() throws BadInputException {
        try {
            String url = coordinator;
            Path token = tokenFile;
            if (cluster != null) {
                JsonObject json = new JsonObject(Files.readString(cluster.resolve("cluster.json")));
                url = url != null ? url : json.getString("coordinator");
                token = token != null ? token : Path.of(json.getString("operatorTokenFile"));
            }
            if (url == null) {
                throw new BadInputException("give --cluster DIR, or --coordinator URL with --token-file FILE");
            }
            String bearer = token == null ? environmentToken()
                    : Files.readString(token, StandardCharsets.US_ASCII).trim();
            return new CoordinatorClient(url, bearer, trust());
        } catch (IOException e) {
            throw new BadInputException("cannot read the cluster description or token file: "
                    + e.getClass().getSimpleName());
        }
    }
}
