package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.cli.client.NodeClient;
import dev.keyescrow.cli.custodian.CustodianDesk;
import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.integrity.ManifestChecks;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.EcdsaP256;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow countersign KEY_ID --version V --as ID --key FILE --coordinator URL
 * (--coordinator-key B64 | --coordinator-fingerprint HEX --node URL) [--yes] [--allow-shared-node]}: checks the
 * manifest (digest, the pinned coordinator's signature, that it pins your key; no public key
 * twice, no two holders on one node unless allowed), shows it, asks
 * you to type the KCV read aloud in the ceremony, and only then countersigns it.
 */
@Command(name = "countersign",
        description = {"Check a key version's manifest against the pinned coordinator key, show it, and countersign it"
                + " with your key once you have typed its KCV (or with --yes, for scripts).",
            "The coordinator key is the one of ceremony step A1: give it (--coordinator-key) or its fingerprint with"
                + " your node (--coordinator-fingerprint HEX --node URL: the node's pinned key must have it)."})
final class CountersignCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    // no standard help mixin: its --version would clash with the contract's --version V
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Parameters(index = "0", paramLabel = "KEY_ID", description = "the key id")
    String keyId;

    @Option(names = "--version", required = true, paramLabel = "V", description = "the key version")
    int version;

    @Option(names = "--as", required = true, paramLabel = "ID", description = "your custodian id")
    String custodianId;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "your encrypted key file")
    Path keyFile;

    @Option(names = "--coordinator", required = true, paramLabel = "URL", description = "the coordinator's URL")
    String coordinator;

    @Option(names = "--coordinator-key", paramLabel = "BASE64",
            description = "the coordinator's pinned public key (ceremony step A1)")
    String coordinatorKey;

    @Option(names = "--coordinator-fingerprint", paramLabel = "HEX",
            description = "the coordinator key's SHA-256 (step A1); the key is taken from --node and checked")
    String coordinatorFingerprint;

    @Option(names = "--node", paramLabel = "URL", description = "your node, whose pinned coordinator key is used"
            + " with --coordinator-fingerprint")
    String node;

    @Option(names = "--yes", description = "do not ask for the KCV (for scripts that compared it themselves)")
    boolean yes;

    @Option(names = "--allow-shared-node", description = "countersign even though two holders share a node (a"
            + " written decision of the organisation; one person holding two keys is never allowed)")
    boolean allowSharedNode;

    @ArgGroup(exclusive = true)
    PassphraseOptions passphrase = new PassphraseOptions();

    CountersignCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        try {
            byte[] pinned = pinnedCoordinatorKey();
            CoordinatorClient client = new CoordinatorClient(coordinator, null, tls.trust());
            io.vertx.core.json.JsonObject view = client.manifest(keyId, version);
            refuseDuplicateKeys(view);
            Manifest manifest = CustodianDesk.reviewManifest(view, keyId, version, pinned);
            terminal.out().println(ManifestReview.describe(manifest, EcdsaP256.fingerprint(pinned)));
            if (!allowSharedNode && ManifestChecks.has(ManifestChecks.of(manifest), ManifestChecks.Kind.SHARED_NODE)) {
                throw new BadInputException("not signed: two holders of this manifest share a node (WARNING above);"
                        + " countersign it only if the organisation decided so in writing, with --allow-shared-node");
            }
            if (!yes && !confirmed(manifest)) {
                return ExitCodes.BAD_INPUT;
            }
            char[] secret;
            try {
                secret = PassphraseSource.read(passphrase.environmentVariable, passphrase.file,
                        "passphrase of " + keyFile.getFileName(), false);
            } catch (PassphraseSource.MissingPassphraseException e) {
                throw new BadInputException(e.getMessage());
            }
            try (SecretBytes key = CustodianKeyFile.read(keyFile, secret)) {
                CustodianDesk.sendCountersignature(client, manifest, custodianId, key);
            } finally {
                Arrays.fill(secret, '\0');
            }
            terminal.out().println("countersigned " + manifest.keyId() + " v" + manifest.version() + " "
                    + manifest.algorithm().wireName() + " " + manifest.threshold() + "-of-" + manifest.shareCount()
                    + " KCV " + manifest.kcv().hex() + " manifest " + manifest.digest());
            return ExitCodes.OK;
        } catch (CustodianKeyFile.KeyFileException | IllegalArgumentException | SignatureException e) {
            throw new BadInputException(e.getMessage());
        } catch (CustodianDesk.ReviewException e) {
            terminal.err().println("escrow countersign: not signed: " + e.getMessage());
            return ExitCodes.FAILURE;
        } catch (ApiException e) {
            terminal.err().println("escrow countersign: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }

    /**
     * One person must never hold two shares: a manifest that lists one public key twice is
     * refused from its raw text, before anything else is read or shown, whatever the options.
     */
    private void refuseDuplicateKeys(io.vertx.core.json.JsonObject view) throws BadInputException {
        java.util.List<ManifestChecks.Warning> warnings;
        try {
            warnings = ManifestChecks.ofCanonical(view.getString("canonical", "").getBytes(StandardCharsets.UTF_8));
        } catch (dev.keyescrow.core.error.FormatException e) {
            return; // not readable as a manifest: the review names the problem
        }
        if (ManifestChecks.has(warnings, ManifestChecks.Kind.DUPLICATE_KEY)) {
            warnings.forEach(w -> terminal.out().println(ManifestReview.warning(w)));
            throw new BadInputException("not signed: the manifest lists one public key for two holders; one person"
                    + " would answer twice. Do not countersign it; tell the ceremony administrator");
        }
    }

    /** The coordinator key of step A1: given, or the node's pinned key checked against the given fingerprint. */
    private byte[] pinnedCoordinatorKey() throws BadInputException, ApiException, SignatureException {
        if ((coordinatorKey == null) == (coordinatorFingerprint == null)) {
            throw new BadInputException("give the coordinator key of step A1: --coordinator-key BASE64, or"
                    + " --coordinator-fingerprint HEX with --node URL");
        }
        if (coordinatorKey != null) {
            try {
                byte[] key = Base64.getDecoder().decode(coordinatorKey.trim());
                EcdsaP256.fingerprint(key);
                return key;
            } catch (IllegalArgumentException | SignatureException e) {
                throw new BadInputException("--coordinator-key is not a P-256 public key in base64");
            }
        }
        if (node == null) {
            throw new BadInputException("--coordinator-fingerprint needs --node URL: your node's pinned key is checked"
                    + " against it");
        }
        String expected = coordinatorFingerprint.trim().replace(":", "").replace(" ", "").toLowerCase(Locale.ROOT);
        byte[] key = Base64.getDecoder().decode(new NodeClient(node, tls.trust()).node().getString("coordinatorPublicKey", ""));
        String actual = EcdsaP256.fingerprint(key);
        if (!actual.equals(expected)) {
            throw new BadInputException("the coordinator key your node pins has fingerprint " + actual + ", not the "
                    + expected + " given; not signing");
        }
        return key;
    }

    /** The custodian types the KCV read aloud in the ceremony; it must be the manifest's. */
    private boolean confirmed(Manifest manifest) throws java.io.IOException {
        terminal.out().print("Type the KCV read aloud in the ceremony to countersign as " + custodianId + ": ");
        terminal.out().flush();
        String answer = new BufferedReader(new InputStreamReader(terminal.in(), StandardCharsets.UTF_8)).readLine();
        String typed = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
        if (!typed.equals(manifest.kcv().hex())) {
            terminal.err().println("escrow countersign: not signed: " + (typed.isEmpty() ? "no KCV typed"
                    : "the KCV typed (" + typed + ") is not the manifest's (" + manifest.kcv().hex() + ")"));
            return false;
        }
        return true;
    }
}
