package dev.keyescrow.cli;

import dev.keyescrow.core.signature.KeyFingerprint;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code escrow key submit-import FILE}, on a networked machine with an operator token: sends a
 * file of {@code escrow key seal-import} to {@code POST /v1/keys/import} once the coordinator's
 * import key has the fingerprint the file was sealed for. It holds only ciphertext: this
 * machine never sees the key.
 */
@Command(name = "submit-import", mixinStandardHelpOptions = true,
        description = {"Send a sealed import file (from 'escrow key seal-import' on the offline machine) to the"
                + " coordinator: the key is shared t-of-n like a created key and stays PRE_ACTIVE until every"
                + " custodian countersigns a manifest with its KCV."})
final class KeySubmitImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    CoordinatorOptionsMixin coordinator;
    @Parameters(index = "0", paramLabel = "FILE", description = "the sealed import file")
    Path file;
    @Option(names = "--threshold", required = true, paramLabel = "T")
    int threshold;
    @Option(names = "--custodians", required = true, split = ",", paramLabel = "ID,ID,...")
    List<String> custodians;
    @Option(names = "--kcv", paramLabel = "HEX",
            description = "if given, the file's KCV must be this one (the old manifest's)")
    String kcv;
    @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "SHAMIR",
            description = "SHAMIR (default): the key is rebuilt for each use; FROST (ED25519 only): the key's"
                    + " secret scalar is split by RFC 9591's trusted dealer and the key only ever signs by quorum"
                    + " (escrow request sign), never rebuilt")
    String scheme;

    @Override
    public Integer call() throws Exception {
        Terminal terminal = KeyCommands.terminal(spec);
        SealedImport sealed;
        try {
            sealed = SealedImport.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": " + e.getMessage());
        }
        if (kcv != null && !kcv.trim().toLowerCase(Locale.ROOT).equals(sealed.kcv())) {
            throw new BadInputException("the file seals a key with KCV " + sealed.kcv() + ", not the --kcv "
                    + kcv.trim() + "; nothing was sent");
        }
        KeySchemeOption.check(scheme, sealed.algorithm());
        var client = coordinator.options.client();
        return OperatorCall.run(terminal, "key submit-import", false, () -> {
            String importKey = client.coordinator().getString("transportPublicKey", "");
            String actual;
            try {
                actual = KeyFingerprint.of(Base64.getDecoder().decode(importKey));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("the coordinator's import key is not base64");
            }
            if (!actual.equals(sealed.importKeyFingerprint())) {
                throw new BadInputException("the file is sealed for the import key " + sealed.importKeyFingerprint()
                        + ", but this coordinator's is " + actual + "; nothing was sent");
            }
            JsonObject created = client.importKey(sealed.keyId(), sealed.algorithm().wireName(), scheme, threshold,
                    new JsonArray(custodians), Base64.getEncoder().encodeToString(sealed.envelope()), sealed.kcv());
            return "imported " + created.getString("keyId") + " version " + created.getInteger("version") + " "
                    + created.getString("state") + " KCV " + created.getString("kcv")
                    + KeySchemeOption.describe(created)
                    + "\nnext: every custodian checks the KCV and runs 'escrow countersign "
                    + created.getString("keyId") + " --version 1 ...'";
        });
    }
}
