package dev.keyescrow.cli;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.KeyFingerprint;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.spec.ShareSender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code escrow key seal-import}, on the offline machine: the recovered key (hex) is checked
 * against {@code --kcv} first, then wrapped to the coordinator's import key, whose fingerprint
 * (recorded at enrolment) must match, and written to a private file. No network, no token.
 */
@Command(name = "seal-import", mixinStandardHelpOptions = true,
        description = {"On the offline machine: check a recovered key (hex, on stdin or --in) against --kcv, wrap it"
                + " to the coordinator's import key (checked against --coordinator-import-fingerprint) for key import"
                + " as --name and --algorithm, and write the sealed file --out (mode 0600). Never uses the network;"
                + " send the file with 'escrow key submit-import' from a networked machine."})
final class KeySealImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Option(names = "--name", required = true, paramLabel = "KEY_ID", description = "the key id it will have")
    String name;
    @Option(names = "--algorithm", required = true, paramLabel = "ALG", description = "AES-256, EC-P256 or ED25519")
    String algorithm;
    @Option(names = "--kcv", required = true, paramLabel = "HEX",
            description = "the KCV the key must have (the old manifest's); compared before anything else")
    String kcv;
    @ArgGroup(exclusive = true, multiplicity = "1")
    ImportKey importKey;
    @Option(names = "--coordinator-import-fingerprint", required = true, paramLabel = "HEX",
            description = "the import key's SHA-256, as recorded when the coordinator was enrolled")
    String fingerprint;
    @Option(names = "--in", paramLabel = "FILE", description = "read the key's hex from FILE instead of stdin")
    Path in;
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the sealed file to write (new)")
    Path out;

    static final class ImportKey {
        @Option(names = "--coordinator-import-key", paramLabel = "BASE64",
                description = "the coordinator's import public key ('escrow coordinator fingerprint')")
        String base64;
        @Option(names = "--coordinator-import-key-file", paramLabel = "FILE", description = "a file holding it")
        Path file;
    }

    @Override
    public Integer call() throws Exception {
        Terminal terminal = KeyCommands.terminal(spec);
        KeyAlgorithm keyAlgorithm;
        try {
            keyAlgorithm = KeyAlgorithm.fromWireName(algorithm);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage());
        }
        if (!Identifiers.isValid(name)) {
            throw new BadInputException("--name must be a key id: [a-z0-9][a-z0-9-]{0,63}");
        }
        if (name.startsWith("req-")) {
            throw new BadInputException("--name must not start with req- (request ids do; the coordinator refuses it)");
        }
        String expected = kcv.trim().toLowerCase(Locale.ROOT);
        try (SecretBytes key = readKey(terminal)) {
            // the KCV first: a wrong key is refused before any other step, and nothing is written
            String actual = RecoveredKeyCheck.kcvOf(keyAlgorithm, key);
            if (!actual.equals(expected)) {
                throw new BadInputException("the key's KCV as " + keyAlgorithm.wireName() + " is " + actual
                        + ", not the --kcv " + expected + "; nothing was written");
            }
            terminal.err().println("key to seal: " + keyAlgorithm.wireName() + ", " + key.length() + " bytes, KCV "
                    + actual + " (matches --kcv)");
            byte[] publicKey = importPublicKey();
            String actualFingerprint = KeyFingerprint.of(publicKey);
            String expectedFingerprint = fingerprint.trim().toLowerCase(Locale.ROOT);
            if (!actualFingerprint.equals(expectedFingerprint)) {
                throw new BadInputException("the import key given has SHA-256 " + actualFingerprint
                        + ", not the --coordinator-import-fingerprint " + expectedFingerprint + "; nothing was written");
            }
            byte[] envelope;
            try {
                envelope = ShareSender.wrapForKeyImport(publicKey, name, keyAlgorithm, key,
                        SecureRandom.getInstance("DRBG"));
            } catch (InvalidPeerKeyException e) {
                throw new BadInputException("the import key is not a P-256 public key");
            } catch (NoSuchAlgorithmException e) {
                terminal.err().println("escrow key seal-import: no DRBG random generator");
                return ExitCodes.FAILURE;
            }
            SealedImport sealed = new SealedImport(name, keyAlgorithm, actual, actualFingerprint, envelope);
            try (AtomicFile file = AtomicFile.prepare(out)) {
                file.commit(sealed.encoded());
            } catch (IOException e) {
                terminal.err().println("escrow key seal-import: cannot write " + out + " ("
                        + e.getClass().getSimpleName() + ")");
                return ExitCodes.FAILURE;
            }
            terminal.out().println("sealed " + name + " " + keyAlgorithm.wireName() + " KCV " + actual
                    + " for the import key " + actualFingerprint + " in " + out
                    + "\nnext: on a networked machine, 'escrow key submit-import " + out.getFileName()
                    + " --threshold T --custodians ...'");
            return ExitCodes.OK;
        }
    }

    /** The key, decoded from its one line of hex; the text it came from is wiped here. */
    private SecretBytes readKey(Terminal terminal) throws IOException, BadInputException {
        List<char[]> lines;
        if (in == null) {
            lines = StdinText.readLines(terminal.in(), 1024);
        } else {
            try (InputStream file = Files.newInputStream(in)) {
                lines = StdinText.readLines(file, 1024);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + in + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        try {
            if (lines.size() != 1) {
                throw new BadInputException("expected the key as one line of hex");
            }
            try {
                return SecretHex.decode(lines.get(0));
            } catch (IllegalArgumentException e) {
                throw new BadInputException("the key must be hex: " + e.getMessage());
            }
        } finally {
            StdinText.wipe(lines);
        }
    }

    private byte[] importPublicKey() throws BadInputException {
        String text = importKey.base64;
        if (text == null) {
            try {
                text = Files.readString(importKey.file, StandardCharsets.US_ASCII);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + importKey.file + " (" + e.getClass().getSimpleName()
                        + ")");
            }
        }
        try {
            return Base64.getDecoder().decode(text.trim());
        } catch (IllegalArgumentException e) {
            throw new BadInputException("the import key must be base64 (of a 65-byte P-256 point)");
        }
    }
}
