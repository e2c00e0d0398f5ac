package dev.keyescrow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyescrow.cli.OfflineImportAndSessionTest.Run;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Custodians made the way a security team makes them, through the command line: {@code escrow
 * custodian keygen} writes {@code custodian-i.pem} under the cluster's directory (one passphrase
 * file for all) and {@code escrow custodians add} registers custodian-i on the cluster's i-th node.
 */
final class CliCustodians {
    private CliCustodians() {
    }

    /** Enrols custodian-1 .. custodian-{@code n} on the running cluster in {@code dir}; returns the passphrase file. */
    static Path enrol(Path dir, int n) throws IOException {
        JsonArray nodes = new JsonObject(Files.readString(dir.resolve("cluster.json"))).getJsonArray("nodes");
        Path passphrase = dir.resolve("custodian.pass");
        Files.writeString(passphrase, "custodian passphrase\n");
        for (int i = 1; i <= n; i++) {
            String id = "custodian-" + i;
            Run keygen = OfflineImportAndSessionTest.escrow("custodian", "keygen", "--id", id, "--out",
                    dir.resolve(id + ".pem").toString(), "--passphrase-file", passphrase.toString());
            assertEquals(0, keygen.exit(), keygen.err());
            Run added = OfflineImportAndSessionTest.escrow("custodians", "add", "--cluster", dir.toString(), "--id", id,
                    "--public-key", keygen.text().trim(), "--node", nodes.getJsonObject(i - 1).getString("id"));
            assertEquals(0, added.exit(), added.err());
        }
        return passphrase;
    }
}
