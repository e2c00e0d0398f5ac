package dev.keyescrow.cli;

import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalVerifier;
import dev.keyescrow.journal.VerificationReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow audit verify FILE|URL}: checks every record of a journal file — sequence, hash
 * chain, signature — from the first, and names the first bad one (exit 2); prints the head
 * and record count when good. The writer's key comes from {@code --public-key} or the
 * {@code writer.pub} beside the file; its fingerprint is printed so the auditor compares it
 * with the one recorded at enrolment.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a journal file from its first record; name the first bad record.")
final class AuditVerifyCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "FILE|URL",
            description = "a journal file (journal.log in a state directory), or a coordinator's URL")
    String target;

    private Path file;

    @Option(names = "--public-key", paramLabel = "BASE64",
            description = "the writer's P-256 public key (default: writer.pub beside the file)")
    String publicKey;

    AuditVerifyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        if (target.startsWith("http://") || target.startsWith("https://")) {
            return verifyRemote();
        }
        file = Path.of(target);
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("no journal file at " + file);
        }
        String encoded = publicKey;
        if (encoded == null) {
            Path keyFile = file.toAbsolutePath().getParent().resolve(Journal.WRITER_KEY_FILE);
            if (!Files.isRegularFile(keyFile)) {
                throw new BadInputException("no --public-key given and no " + Journal.WRITER_KEY_FILE
                        + " beside the journal");
            }
            encoded = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
        }
        byte[] key;
        String fingerprint;
        try {
            key = Base64.getDecoder().decode(encoded);
            fingerprint = EcdsaP256.fingerprint(key);
        } catch (IllegalArgumentException | SignatureException e) {
            throw new BadInputException("the writer key must be base64 of a 65-byte uncompressed P-256 point");
        }
        VerificationReport report;
        try {
            report = JournalVerifier.verify(file, key);
        } catch (IOException e) {
            terminal.err().println("escrow audit verify: cannot read " + file + ": " + e.getClass().getSimpleName());
            return ExitCodes.FAILURE;
        }
        terminal.out().println("writer " + fingerprint);
        if (report.ok()) {
            terminal.out().println(report.summary());
            return ExitCodes.OK;
        }
        terminal.err().println("escrow audit verify: " + report.summary());
        return ExitCodes.BAD_INPUT;
    }

    /** Asks a coordinator to verify its own journal from the first record ({@code GET /v1/audit/verify}). */
    private int verifyRemote() throws BadInputException {
        dev.keyescrow.cli.client.TlsTrust trust = tls.trust();
        try {
            io.vertx.core.json.JsonObject report = new dev.keyescrow.cli.client.CoordinatorClient(target, null, trust)
                    .auditVerify();
            if (report.getBoolean("ok", false)) {
                terminal.out().println(report.getString("summary"));
                return ExitCodes.OK;
            }
            terminal.err().println("escrow audit verify: " + report.getString("summary"));
            return ExitCodes.BAD_INPUT;
        } catch (dev.keyescrow.cli.client.ApiException e) {
            terminal.err().println("escrow audit verify: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
