package dev.keyescrow.cli;

import dev.keyescrow.cli.custodian.CustodianKeyFile;
import dev.keyescrow.cli.custodian.PassphraseSource;
import dev.keyescrow.cli.recipient.ExportRecovery;
import dev.keyescrow.cli.recipient.NodePins;
import dev.keyescrow.core.export.ExportBundle;
import dev.keyescrow.core.format.SecretHex;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Manifest;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.KeyFingerprint;
import dev.keyescrow.hsm.spec.EphemeralKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
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
 * EXPORT, end to end: the recipient makes a P-256 key on its (offline) machine; the nodes wrap
 * their shares to it once the custodians approved; the operator fetches the bundle of signed
 * releases once; the recipient checks every release against the pinned node keys and the
 * manifest, combines, and checks the KCV there. The coordinator relays and cannot open.
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
                byte[] publicKey = uncompressed((java.security.interfaces.ECPublicKey) pair.getPublic());
                Terminal terminal = KeyCommands.terminal(spec);
                // stdout stays the bare key for the request; the fingerprint is what people compare
                terminal.out().println(Base64.getEncoder().encodeToString(publicKey));
                terminal.err().println("recipient public key SHA-256 " + KeyFingerprint.of(publicKey)
                        + " (escrow show prints it for the EXPORT request; compare)");
                return ExitCodes.OK;
            } catch (CustodianKeyFile.KeyFileException e) {
                throw new BadInputException(e.getMessage());
            } finally {
                Arrays.fill(secret, '\0');
            }
        }
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Take the export bundle of an approved EXPORT request (once; requester only) into FILE:",
                    "the nodes' signed releases, each wrapped to the recipient key; the coordinator cannot open them."})
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
                    String text = coordinator.options.client().export(requestId);
                    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                    try {
                        file.commit(bytes);
                    } catch (java.io.IOException e) {
                        // the bundle is ciphertext for the recipient only: printing it keeps the one copy
                        terminal.out().println(text);
                        throw new BadInputException("cannot write " + out + " (" + e.getClass().getSimpleName()
                                + "); the export bundle was delivered and is printed above: save it");
                    }
                    return summary(bytes) + " written to " + out + "; open it on the recipient's machine with"
                            + " 'escrow export recover --in " + out.getFileName() + " --key KEY --trust-nodes-file PINS'";
                });
            }
        }

        private static String summary(byte[] bytes) {
            try {
                ExportBundle bundle = ExportBundle.decode(bytes);
                Manifest manifest = Manifest.parse(bundle.manifestBytes());
                return "export bundle of " + manifest.keyId() + " v" + manifest.version() + " (" + manifest.algorithm()
                        .wireName() + ", KCV " + manifest.kcv().hex() + "; " + bundle.releases().size()
                        + " releases of " + manifest.threshold() + " needed)";
            } catch (dev.keyescrow.core.error.FormatException | IllegalArgumentException e) {
                return "export (not a bundle this version reads: " + e.getMessage() + ")";
            }
        }
    }

    @Command(name = "recover", mixinStandardHelpOptions = true,
            description = {"Check an export bundle and rebuild the key with the recipient key, offline:",
                    "each release must be signed by a pinned node and match its commitment in the manifest;",
                    "the combined key must match the manifest's KCV. The key is printed as hex, or written to",
                    "--out; algorithm, length and KCV go to stderr."})
    static final class Recover implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--key", required = true, paramLabel = "FILE", description = "the recipient key (export keygen)")
        Path keyFile;
        @Option(names = "--in", required = true, paramLabel = "FILE", description = "the export bundle (export fetch)")
        Path in;
        @ArgGroup(exclusive = true, multiplicity = "1")
        TrustedNodes trusted;
        @Option(names = "--out", paramLabel = "FILE",
                description = "write the key's hex here (a new file, 0600, written atomically) instead of stdout")
        Path out;
        @ArgGroup(exclusive = true)
        PassphraseOptions passphrase = new PassphraseOptions();

        @Override
        public Integer call() throws Exception {
            Terminal terminal = KeyCommands.terminal(spec);
            NodePins pins = trusted.pins();
            byte[] bundle;
            try {
                bundle = Files.readAllBytes(in);
            } catch (java.io.IOException e) {
                throw new BadInputException("cannot read " + in + " (" + e.getClass().getSimpleName() + ")");
            }
            try (AtomicFile file = out == null ? null : AtomicFile.prepare(out)) {
                char[] secret = passphraseOf(passphrase, "passphrase of " + keyFile.getFileName(), false);
                ExportRecovery.Recovered recovered;
                try (EphemeralKey recipient = recipientKey(keyFile, secret)) {
                    recovered = ExportRecovery.recover(bundle, recipient, pins);
                } catch (ExportRecovery.RefusedException e) {
                    terminal.err().println("escrow export recover: refused: " + e.getMessage());
                    return ExitCodes.BAD_INPUT;
                } finally {
                    Arrays.fill(secret, '\0');
                }
                try (SecretBytes material = recovered.key()) {
                    KeyAlgorithm algorithm = recovered.manifest().algorithm();
                    char[] hex = SecretHex.encode(material);
                    byte[] line = new byte[hex.length + 1];
                    for (int i = 0; i < hex.length; i++) {
                        line[i] = (byte) hex[i];
                    }
                    line[hex.length] = '\n';
                    Arrays.fill(hex, '\0');
                    try {
                        if (file != null) {
                            file.commit(line);
                        } else {
                            terminal.out().write(line, 0, line.length);
                            terminal.out().flush();
                        }
                    } catch (java.io.IOException e) {
                        throw new BadInputException("cannot write " + out + " (" + e.getClass().getSimpleName() + ")");
                    } finally {
                        Arrays.fill(line, (byte) 0);
                    }
                    // stderr, so that stdout stays the bare key for 'paper split' or 'key import'
                    terminal.err().println("recovered key " + recovered.keyId() + " v" + recovered.version() + ": "
                            + RecoveredKeyCheck.line(algorithm, material) + " (matches the manifest; releases of "
                            + String.join(", ", recovered.nodes()) + " verified under the pinned node keys)"
                            + (out == null ? "" : "; written to " + out));
                    return ExitCodes.OK;
                }
            }
        }

        private static EphemeralKey recipientKey(Path keyFile, char[] secret) throws BadInputException {
            try {
                AsymmetricKeyParameter key = CustodianKeyFile.readKey(keyFile, secret);
                if (!(key instanceof ECPrivateKeyParameters ec)) {
                    throw new BadInputException(keyFile + " is not a P-256 recipient key");
                }
                byte[] scalar = BigIntegers.asUnsignedByteArray(32, ec.getD());
                try (SecretBytes d = SecretBytes.moveFrom(scalar)) {
                    return EphemeralKey.fromPrivateKey(d);
                }
            } catch (CustodianKeyFile.KeyFileException e) {
                throw new BadInputException(e.getMessage());
            } catch (java.io.IOException e) {
                throw new BadInputException("cannot read " + keyFile + " (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    /** The node identity keys the recipient trusts: inline, or from a file (one entry a line). */
    static final class TrustedNodes {
        @Option(names = "--trust-nodes", paramLabel = "PINS",
                description = {"the node identity keys to trust: NODE_ID=FINGERPRINT entries separated by commas;",
                        "FINGERPRINT is the SHA-256 hex of the node's identity public key (escrow node fingerprint,",
                        "the enrolment record). Take them from the enrolment record, never from the coordinator."})
        String inline;
        @Option(names = "--trust-nodes-file", paramLabel = "FILE",
                description = "the same pins from a file: one NODE_ID=FINGERPRINT a line, '#' starts a comment")
        Path file;

        NodePins pins() throws BadInputException {
            String text = inline;
            if (file != null) {
                try {
                    text = Files.readString(file);
                } catch (java.io.IOException | RuntimeException e) {
                    throw new BadInputException("cannot read the node pins " + file + " ("
                            + e.getClass().getSimpleName() + ")");
                }
            }
            try {
                return NodePins.parse(text);
            } catch (IllegalArgumentException e) {
                throw new BadInputException("node pins: " + e.getMessage());
            }
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
