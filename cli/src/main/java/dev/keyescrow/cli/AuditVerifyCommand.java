package dev.keyescrow.cli;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.core.error.SignatureException;
import dev.keyescrow.core.signature.EcdsaP256;
import dev.keyescrow.journal.Defect;
import dev.keyescrow.journal.HeadCheck;
import dev.keyescrow.journal.HeadCheckResult;
import dev.keyescrow.journal.HeadStatus;
import dev.keyescrow.journal.Journal;
import dev.keyescrow.journal.JournalHead;
import dev.keyescrow.journal.JournalVerifier;
import dev.keyescrow.journal.VerificationReport;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code escrow audit verify FILE|URL [--contains SEQ:HEAD]...}: checks every record of a
 * journal file — sequence, hash chain, signature — from the first, and names the first bad one
 * (exit 2); prints the head and record count when good. The writer's key comes from
 * {@code --public-key} or the {@code writer.pub} beside the file; its fingerprint is printed so
 * the auditor compares it with the one recorded at enrolment. {@code --contains} confirms that
 * a head written in the ceremony log earlier is a record of this same chain (a later head alone
 * does not show that: a rewritten journal has a valid head too).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Verify a journal file from its first record; name the first bad record.",
            "--contains SEQ:HEAD (repeatable) also confirms that a head logged earlier (GET /v1/audit's sequence and"
                + " head) is a record of this chain; a mismatch exits 2 and names it."})
final class AuditVerifyCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    TlsOptions tls;

    private final Terminal terminal;

    @Parameters(index = "0", paramLabel = "FILE|URL",
            description = "a journal file (journal.log in a state directory), or a coordinator's URL")
    String target;

    @Option(names = "--public-key", paramLabel = "BASE64",
            description = "the writer's P-256 public key (default: writer.pub beside the file)")
    String publicKey;

    @Option(names = "--contains", paramLabel = "SEQ:HEAD",
            description = "a head logged earlier (sequence and 64 hex digits) that must be in this chain")
    List<String> contains = new ArrayList<>();

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding your operator token, sent"
            + " with the URL form like every client command (default: $" + CoordinatorOptions.TOKEN_VARIABLE + ")")
    Path tokenFile;

    AuditVerifyCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        List<JournalHead> heads = new ArrayList<>();
        for (String c : contains) {
            heads.add(parseHead(c));
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
            return verifyRemote(heads);
        }
        if (tokenFile != null) {
            throw new BadInputException("--token-file is for the URL form; a journal file is checked here");
        }
        Path file = journalFile(Path.of(target));
        byte[] key = writerKey(file);
        VerificationReport report;
        try {
            report = JournalVerifier.verify(file, key);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
        terminal.out().println("writer " + EcdsaP256.fingerprint(key));
        if (report.head().sequence() == 0 && (report.tornBytes() > 0 || report.firstFault().map(f -> f.defect()
                == Defect.MALFORMED || f.defect() == Defect.IMPOSSIBLE_LENGTH).orElse(false))) {
            throw new BadInputException(file + " is not a KeyEscrow journal: its first record does not read ("
                    + report.firstFault().map(f -> f.describe()).orElse(report.tornBytes() + " bytes that are no"
                            + " complete record") + ")");
        }
        if (!report.ok()) {
            terminal.err().println("escrow audit verify: " + report.summary());
            return ExitCodes.BAD_INPUT;
        }
        terminal.out().println(report.summary());
        boolean all = true;
        for (JournalHead head : heads) {
            HeadCheckResult result;
            try {
                result = HeadCheck.check(file, head, key);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + file + ": " + e.getClass().getSimpleName());
            }
            all &= reportContains(head, result.status().name(), result.detail());
        }
        return all ? ExitCodes.OK : ExitCodes.BAD_INPUT;
    }

    /** The journal file a path names; a directory or a missing file is named plainly (exit 2). */
    private static Path journalFile(Path given) throws BadInputException {
        if (Files.isDirectory(given)) {
            for (Path inside : List.of(given.resolve(Journal.JOURNAL_FILE),
                    given.resolve("journal").resolve(Journal.JOURNAL_FILE),
                    given.resolve("state").resolve("journal").resolve(Journal.JOURNAL_FILE))) {
                if (Files.isRegularFile(inside)) {
                    throw new BadInputException(given + " is a directory, not a journal file; the journal in it is "
                            + inside);
                }
            }
            throw new BadInputException(given + " is a directory, not a journal file (a member's journal is"
                    + " state/journal/" + Journal.JOURNAL_FILE + ")");
        }
        if (!Files.exists(given)) {
            throw new BadInputException("no journal file at " + given + ": it does not exist (a member's journal is"
                    + " state/journal/" + Journal.JOURNAL_FILE + ")");
        }
        if (!Files.isRegularFile(given)) {
            throw new BadInputException("no journal file at " + given + ": it is not a regular file");
        }
        return given;
    }

    private byte[] writerKey(Path file) throws BadInputException {
        String encoded = publicKey;
        if (encoded == null) {
            Path keyFile = file.toAbsolutePath().getParent().resolve(Journal.WRITER_KEY_FILE);
            if (!Files.isRegularFile(keyFile)) {
                throw new BadInputException("no --public-key given and no " + Journal.WRITER_KEY_FILE
                        + " beside " + file + "; is it a member's journal?");
            }
            try {
                encoded = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
            } catch (IOException e) {
                throw new BadInputException("cannot read " + keyFile + ": " + e.getClass().getSimpleName());
            }
        }
        try {
            byte[] key = Base64.getDecoder().decode(encoded);
            EcdsaP256.fingerprint(key);
            return key;
        } catch (IllegalArgumentException | SignatureException e) {
            throw new BadInputException("the writer key must be base64 of a 65-byte uncompressed P-256 point");
        }
    }

    /** {@code SEQ:HEAD}: a positive sequence and the record's SHA-256 as 64 hex digits. */
    static JournalHead parseHead(String text) throws BadInputException {
        String[] parts = text.trim().split(":", 2);
        try {
            if (parts.length != 2 || !parts[1].trim().toLowerCase(Locale.ROOT).matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException();
            }
            long sequence = Long.parseLong(parts[0].trim());
            if (sequence < 0) {
                throw new IllegalArgumentException();
            }
            return new JournalHead(sequence, HexFormat.of().parseHex(parts[1].trim().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("--contains must be SEQ:HEAD, a record's sequence and its 64-hex-digit hash"
                    + " (as GET /v1/audit shows them), not " + text);
        }
    }

    /** Prints one {@code --contains} verdict; true when the head is in the chain. */
    private boolean reportContains(JournalHead head, String status, String detail) {
        String which = head.sequence() + ":" + head.hashHex();
        if (HeadStatus.OK.name().equals(status)) {
            terminal.out().println("contains " + which + ": record " + head.sequence() + " of this chain");
            return true;
        }
        terminal.err().println("escrow audit verify: does NOT contain " + which + ": " + status + ", " + detail);
        return false;
    }

    /** Asks a coordinator to verify its own journal from the first record ({@code GET /v1/audit/verify}). */
    private int verifyRemote(List<JournalHead> heads) throws BadInputException {
        CoordinatorOptions options = new CoordinatorOptions();
        options.coordinator = target;
        options.tokenFile = tokenFile;
        options.tls = tls;
        CoordinatorClient client = options.client();
        try {
            JsonObject report = client.auditVerify();
            if (!report.getBoolean("ok", false)) {
                terminal.err().println("escrow audit verify: " + report.getString("summary"));
                return ExitCodes.BAD_INPUT;
            }
            terminal.out().println(report.getString("summary"));
            boolean all = true;
            for (JournalHead head : heads) {
                JsonObject contained = client.auditVerifyContains(head.sequence(), head.hashHex())
                        .getJsonObject("contains", new JsonObject());
                all &= reportContains(head, contained.getString("status", "UNKNOWN"),
                        contained.getString("detail", "the coordinator did not answer the question"));
            }
            return all ? ExitCodes.OK : ExitCodes.BAD_INPUT;
        } catch (ApiException e) {
            terminal.err().println("escrow audit verify: " + e.getMessage());
            return e.status() >= 400 && e.status() < 500 ? ExitCodes.BAD_INPUT : ExitCodes.FAILURE;
        }
    }
}
