package dev.keyescrow.cli;

import dev.keyescrow.cli.client.CoordinatorClient;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * How an operator command reaches the coordinator: {@code --cluster DIR} (a development
 * cluster's {@code cluster.json} and token file) or {@code --coordinator URL --token-file FILE}.
 * The token is read from a file, never given on the command line.
 */
final class CoordinatorOptions {
    @Option(names = "--cluster", paramLabel = "DIR", description = "a development cluster's directory (cluster.json)")
    Path cluster;

    @Option(names = "--coordinator", paramLabel = "URL", description = "the coordinator's URL")
    String coordinator;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding your operator token")
    Path tokenFile;

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
            String bearer = token == null ? null : Files.readString(token, StandardCharsets.US_ASCII).trim();
            return new CoordinatorClient(url, bearer);
        } catch (IOException e) {
            throw new BadInputException("cannot read the cluster description or token file: "
                    + e.getClass().getSimpleName());
        }
    }
}
