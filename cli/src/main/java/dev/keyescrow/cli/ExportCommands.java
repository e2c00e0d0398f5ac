package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.core.error.KeyEscrowException;
import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.hsm.ShareRef;
import dev.keyescrow.hsm.spec.EphemeralKey;
import dev.keyescrow.hsm.spec.ReleaseOpener;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.util.BigIntegers;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * EXPORT, end to end: the recipient makes a P-256 key on its (offline) machine, the operator
 * fetches the approved export once, and the recipient opens it there and checks the KCV.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "The recipient's side of EXPORT (lost-key recovery, paper backups).",
        subcommands = {ExportCommands.Keygen.class, ExportCommands.Fetch.class, ExportCommands.Recover.class})
final class ExportCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: keygen, fetch or recover");
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = "Make the recipient's P-256 key (encrypted PKCS#8 PEM); print its public key for the request.")
    static final class Keygen implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;
        @ArgGroup(exclusive = true)
        PassphraseOptions passphrase = new PassphraseOptions();

        @Override
        public Integer call() throws Exception {
            char[] secret = passphraseOf(passphrase, "passphrase for the recipient key", true);
            try {
                SecureRandom random = SecureRandom.getInstance("DRBG");
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
                var pair = generator.generateKeyPair();
                CustodianKeyFile.writeInfo(out, PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()), secret,
                        random);
                KeyCommands.terminal(spec).out().println(Base64.getEncoder().encodeToString(uncompressed(
                        (java.security.interfaces.ECPublicKey) pair.getPublic())));
                return ExitCodes.OK;
            } catch (CustodianKeyFile.KeyFileException e) {
                throw new BadInputException(e.getMessage());
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Take the approved export of a request (once; requester only) into FILE.")
    static final class Fetch implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "REQUEST_ID")
        String requestId;
        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Override
        public Integer call() throws Exception {
            Terminal terminal = KeyCommands.terminal(spec);
            // the coordinator delivers an export once: find an unwritable --out before taking it
            try (AtomicFile file = AtomicFile.prepare(out)) {
                return OperatorCall.run(terminal, "export fetch", false, () -> {
                    JsonObject export = coordinator.options.client().export(requestId);
                    String text = export.encodePrettily();
                    try {
                        file.commit(text.getBytes(StandardCharsets.UTF_8));
                    } catch (java.io.IOException e) {
                        // the export is ciphertext for the recipient only: printing it keeps the one copy
                        terminal.out().println(text);
                        throw new BadInputException("cannot write " + out + " (" + e.getClass().getSimpleName()
                                + "); the export was delivered and is printed above: save it");
                    }
                    return "export of " + export.getString("keyId") + " v" + export.getInteger("version") + " (KCV "
                            + export.getString("kcv") + ") written to " + out + "; open it on the recipient's machine"
                            + " with 'escrow export recover'";
                });
            }
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Open an export with the recipient key, check its KCV, and print the key as hex"
                    + " (this command's whole purpose: run it offline)."})
    static final class Recover implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "the recipient key (export keygen)")
        Path keyFile;
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "the export (export fetch)")
        Path in;
        @ArgGroup(exclusive = true)
        PassphraseOptions passphrase = new PassphraseOptions();

        @Override
        public Integer call() throws Exception {
            Terminal terminal = KeyCommands.terminal(spec);
            JsonObject export;
            byte[] envelope;
            try {
                export = new JsonObject(Files.readString(in));
                envelope = Base64.getDecoder().decode(export.getString("envelope"));
            } catch (RuntimeException | java.io.IOException e) {
                throw new BadInputException(in + " is not an export file");
            }
            if (envelope.length < 1 + 65 + 24 || envelope[0] != 0x01) {
                throw new BadInputException("the export envelope has an unknown version or is too short");
            }
            byte[] coordinatorKey = Arrays.copyOfRange(envelope, 1, 66);
            byte[] wrapped = Arrays.copyOfRange(envelope, 66, envelope.length);
            char[] secret = passphraseOf(passphrase, "passphrase of " + keyFile.getFileName(), false);
            try {
                AsymmetricKeyParameter key = CustodianKeyFile.readKey(keyFile, secret);
                if (!(key instanceof ECPrivateKeyParameters ec)) {
                    throw new BadInputException(keyFile + " is not a P-256 recipient key");
                }
                byte[] scalar = BigIntegers.asUnsignedByteArray(32, ec.getD());
                KeyAlgorithm algorithm = algorithmOf(export);
                int length = RecoveredKeyCheck.KEY_LENGTH;
                try (EphemeralKey recipient = EphemeralKey.fromPrivateKey(SecretBytes.moveFrom(scalar));
                     SecretBytes material = ReleaseOpener.open(recipient, coordinatorKey, export.getString("requestId"),
                             HexFormat.of().parseHex(export.getString("digest")), new ShareRef(export.getString("keyId"),
                                     export.getInteger("version"), 1, length), wrapped)) {
                    String kcv = RecoveredKeyCheck.kcvOf(algorithm, material);
                    if (!kcv.equals(export.getString("kcv"))) {
                        terminal.err().println("escrow export recover: the KCV " + kcv + " does not match the export's "
                                + export.getString("kcv") + "; do not use this key");
                        return ExitCodes.FAILURE;
                    }
                    char[] hex = SecretHex.encode(material);
                    byte[] line = new byte[hex.length + 1];
                    for (int i = 0; i < hex.length; i++) {
                        line[i] = (byte) hex[i];
                    }
                    line[hex.length] = '\n';
                    terminal.out().write(line, 0, line.length);
                    terminal.out().flush();
                    Arrays.fill(hex, '\0');
                    Arrays.fill(line, (byte) 0);
                    // stderr, so that stdout stays the bare key for 'paper split' or 'key import'
                    terminal.err().println("recovered key " + export.getString("keyId") + " v"
                            + export.getInteger("version") + ": " + RecoveredKeyCheck.line(algorithm, material)
                            + " (matches the export)");
                    return ExitCodes.OK;
                }
            } catch (CustodianKeyFile.KeyFileException e) {
                throw new BadInputException(e.getMessage());
            } catch (KeyEscrowException e) {
                terminal.err().println("escrow export recover: the export does not open with this key: "
                        + e.getMessage());
                return ExitCodes.BAD_INPUT;
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
    }

    private static KeyAlgorithm algorithmOf(JsonObject export) throws BadInputException {
        try {
            return KeyAlgorithm.fromWireName(export.getString("algorithm", ""));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("the export names no known algorithm: " + e.getMessage());
        }
    }

    static char[] passphraseOf(PassphraseOptions options, String prompt, boolean confirm) throws Exception {
        try {
            return PassphraseSource.read(options.environmentVariable, options.file, prompt, confirm);
        } catch (PassphraseSource.MissingPassphraseException e) {
            throw new BadInputException(e.getMessage());
        }
    }

    static byte[] uncompressed(java.security.interfaces.ECPublicKey key) {
        byte[] out = new byte[65];
        out[0] = 0x04;
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, key.getW().getAffineX()), 0, out, 1, 32);
        System.arraycopy(BigIntegers.asUnsignedByteArray(32, key.getW().getAffineY()), 0, out, 33, 32);
        return out;
    }
}
