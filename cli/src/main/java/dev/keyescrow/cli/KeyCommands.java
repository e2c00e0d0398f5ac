package dev.keyescrow.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code escrow key create|list|show|manifest}: the operator's view of keys. */
@Command(name = "key", mixinStandardHelpOptions = true, description = "Create and inspect escrowed keys.",
        subcommands = {KeyCommands.Create.class, KeyCommands.Import.class, KeySealImportCommand.class,
            KeySubmitImportCommand.class, KeyCommands.ListKeys.class,
            KeyCommands.Show.class, KeyCommands.ShowManifest.class})
final class KeyCommands implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: create, list, show or manifest");
    }

    static Terminal terminal(CommandSpec spec) {
        return ((EscrowCommand) spec.root().userObject()).terminal;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Run a key ceremony: a new key split t-of-n among the named custodians (PRE_ACTIVE until"
                    + " every custodian countersigns).")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "the key's name (its id if free)")
        String name;
        @Option(names = "--algorithm", required = true, paramLabel = "ALG", description = "AES-256, EC-P256 or ED25519")
        String algorithm;
        @Option(names = "--threshold", required = true, paramLabel = "T", description = "approvals needed")
        int threshold;
        @Option(names = "--custodians", required = true, split = ",", paramLabel = "ID,ID,...",
                description = "the custodians, one share each")
        List<String> custodians;
        @Option(names = "--json", description = "print the coordinator's JSON answer")
        boolean json;
        @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "SHAMIR",
                description = "SHAMIR (default): the key is made by the coordinator and split; FROST (ED25519 only):"
                        + " the key is made by distributed key generation among the custodians' nodes, is never whole"
                        + " anywhere, and only ever signs by quorum (escrow request sign)")
        String scheme;

        @Override
        public Integer call() throws Exception {
            if ("FROST".equals(scheme)) {
                KeySchemeOption.check(scheme, "ED25519".equals(algorithm)
                        ? dev.keyescrow.core.integrity.KeyAlgorithm.ED25519
                        : dev.keyescrow.core.integrity.KeyAlgorithm.AES_256);
            } else if (!"SHAMIR".equals(scheme)) {
                throw new BadInputException("--scheme must be SHAMIR or FROST");
            }
            return OperatorCall.run(terminal(spec), "key create", json, () -> {
                var client = coordinator.options.client();
                JsonObject key = client.createKey(name, algorithm, threshold, new JsonArray(custodians), scheme);
                if (json) {
                    return key;
                }
                String keyId = key.getString("keyId");
                int version = key.getInteger("version");
                return "key " + keyId + " version " + version + " " + key.getString("state") + " "
                        + key.getInteger("threshold") + "-of-" + key.getInteger("shares") + " KCV " + key.getString("kcv")
                        + publicKeyLine(key) + "\n" + ManifestReview.ofAnswer(client.manifest(keyId, version), keyId,
                                version)
                        + "\nnext: every custodian runs 'escrow countersign " + keyId + " --version " + version + " ...'";
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Bring a key recovered outside the cluster (paper backup, export) into it: the key as hex on"
                    + " stdin is wrapped here to the coordinator's transport key for key import (bound to --name and"
                    + " --algorithm), checked against --kcv, and shared"
                    + " like a created key (PRE_ACTIVE until every custodian countersigns the manifest with its KCV)."})
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Option(names = "--name", required = true, paramLabel = "KEY_ID", description = "the key id (must be free)")
        String name;
        @Option(names = "--algorithm", required = true, paramLabel = "ALG", description = "AES-256, EC-P256 or ED25519")
        String algorithm;
        @Option(names = "--threshold", required = true, paramLabel = "T")
        int threshold;
        @Option(names = "--custodians", required = true, split = ",", paramLabel = "ID,ID,...")
        List<String> custodians;
        @Option(names = "--kcv", required = true, paramLabel = "HEX",
                description = "the KCV the key must have (from its manifest); checked here before anything is sent")
        String kcv;
        @Option(names = "--scheme", paramLabel = "SCHEME", defaultValue = "SHAMIR",
                description = "SHAMIR (default): the key is rebuilt for each use; FROST (ED25519 only): the key's"
                        + " secret scalar is split by RFC 9591's trusted dealer and the key only ever signs by quorum"
                        + " (escrow request sign), never rebuilt")
        String scheme;

        @Override
        public Integer call() throws Exception {
            Terminal terminal = terminal(spec);
            List<char[]> lines = StdinText.readLines(terminal.in(), 1024);
            try {
                if (lines.size() != 1) {
                    throw new BadInputException("expected the key as one line of hex on stdin");
                }
                dev.keyescrow.core.secret.SecretBytes key;
                try {
                    key = dev.keyescrow.core.format.SecretHex.decode(lines.get(0));
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("the key must be hex: " + e.getMessage());
                }
                if (key.length() != 32) {
                    key.destroy();
                    throw new BadInputException("the key must be 32 bytes (64 hex digits), got " + key.length());
                }
                dev.keyescrow.core.integrity.KeyAlgorithm keyAlgorithm;
                try {
                    keyAlgorithm = dev.keyescrow.core.integrity.KeyAlgorithm.fromWireName(algorithm);
                } catch (IllegalArgumentException e) {
                    key.destroy();
                    throw new BadInputException(e.getMessage());
                }
                if (!dev.keyescrow.core.format.Identifiers.isValid(name)) {
                    key.destroy();
                    throw new BadInputException("--name must be a key id: [a-z0-9][a-z0-9-]{0,63}");
                }
                try {
                    KeySchemeOption.check(scheme, keyAlgorithm);
                } catch (BadInputException e) {
                    key.destroy();
                    throw e;
                }
                // the KCV is compared on this machine first: a wrong key never reaches the coordinator
                String expected = kcv.trim().toLowerCase(java.util.Locale.ROOT);
                String actual;
                try {
                    actual = RecoveredKeyCheck.kcvOf(keyAlgorithm, key);
                } catch (BadInputException e) {
                    key.destroy();
                    throw e;
                }
                if (!actual.equals(expected)) {
                    key.destroy();
                    throw new BadInputException("the key's KCV as " + keyAlgorithm.wireName() + " is " + actual
                            + ", not the --kcv " + expected + "; nothing was sent");
                }
                terminal.err().println("key to import: " + keyAlgorithm.wireName() + ", " + key.length()
                        + " bytes, KCV " + actual + " (matches --kcv)");
                try (key) {
                    var client = coordinator.options.client();
                    return OperatorCall.run(terminal, "key import", false, () -> {
                        byte[] transport = java.util.Base64.getDecoder().decode(client.coordinator()
                                .getString("transportPublicKey"));
                        String envelope;
                        try {
                            // the key-import KEK purpose, bound to the key id and algorithm: the
                            // coordinator opens nothing else as an imported key (docs/spec/kdf.md)
                            envelope = java.util.Base64.getEncoder().encodeToString(
                                    dev.keyescrow.hsm.spec.ShareSender.wrapForKeyImport(transport, name, keyAlgorithm,
                                            key, java.security.SecureRandom.getInstance("DRBG")));
                        } catch (dev.keyescrow.hsm.InvalidPeerKeyException | java.security.NoSuchAlgorithmException e) {
                            throw new BadInputException("the coordinator's transport key was refused");
                        }
                        JsonObject created = client.importKey(name, algorithm, scheme, threshold,
                                new JsonArray(custodians), envelope, kcv);
                        return "imported " + created.getString("keyId") + " version " + created.getInteger("version")
                                + " " + created.getString("state") + " KCV " + created.getString("kcv")
                                + KeySchemeOption.describe(created)
                                + "\nnext: every custodian checks the KCV and runs 'escrow countersign "
                                + created.getString("keyId") + " --version 1 ...'";
                    });
                }
            } finally {
                StdinText.wipe(lines);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys and their versions.")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(terminal(spec), "key list", json, () -> {
                JsonArray keys = coordinator.options.client().keys();
                if (json) {
                    return keys;
                }
                StringBuilder out = new StringBuilder();
                for (Object o : keys) {
                    out.append(KeyCommands.describe((JsonObject) o));
                }
                return out.length() == 0 ? "no keys" : out.toString().stripTrailing();
            });
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a key's versions and their history.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "KEY_ID")
        String keyId;
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() throws Exception {
            return OperatorCall.run(terminal(spec), "key show", json, () -> {
                var client = coordinator.options.client();
                JsonObject key = client.key(keyId);
                if (json) {
                    return key;
                }
                StringBuilder out = new StringBuilder(KeyCommands.describe(key));
                for (Object o : key.getJsonArray("versions", new JsonArray())) {
                    JsonObject v = (JsonObject) o;
                    int version = v.getInteger("version");
                    out.append(ManifestReview.ofAnswer(client.manifest(keyId, version), keyId, version)).append('\n');
                }
                return out.toString().stripTrailing();
            });
        }
    }

    @Command(name = "manifest",
            description = {"Print a version's manifest as readable JSON (the manifest's fields, its digest, the"
                    + " coordinator's signature and the countersignatures so far).",
                "--review prints what custodians compare instead (holders with key fingerprints and nodes, threshold,"
                    + " KCV, digest in groups of four, warnings); --json the coordinator's answer as it is, with the"
                    + " canonical text whose SHA-256 is the digest."})
    static final class ShowManifest implements Callable<Integer> {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
        boolean help;
        @Spec
        CommandSpec spec;
        @Mixin
        CoordinatorOptionsMixin coordinator;
        @Parameters(index = "0", paramLabel = "KEY_ID")
        String keyId;
        @Option(names = "--version", required = true, paramLabel = "V", description = "the key version")
        int version;
        @Option(names = "--review", description = "print the review view custodians compare")
        boolean review;
        @Option(names = "--json", description = "print the coordinator's answer as it is")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (review && json) {
                throw new BadInputException("give --review or --json, not both");
            }
            return OperatorCall.run(terminal(spec), "key manifest", json, () -> {
                JsonObject view = coordinator.options.client().manifest(keyId, version);
                if (json) {
                    return view;
                }
                return review ? ManifestReview.ofAnswer(view, keyId, version) : readable(view).encodePrettily();
            });
        }

        /** The answer with the canonical text shown as the JSON object it is, not as an escaped string. */
        private static JsonObject readable(JsonObject view) {
            JsonObject out = new JsonObject();
            try {
                out.put("manifest", new JsonObject(view.getString("canonical", "")));
            } catch (RuntimeException e) {
                out.put("canonical", view.getString("canonical"));
            }
            view.forEach(e -> {
                if (!e.getKey().equals("canonical")) {
                    out.put(e.getKey(), e.getValue());
                }
            });
            return out;
        }
    }

    /** The public key of an asymmetric key, with its fingerprint; nothing for AES. */
    static String publicKeyLine(JsonObject key) {
        String publicKey = key.getString("publicKey");
        if (publicKey == null) {
            return "";
        }
        String fingerprint;
        try {
            fingerprint = dev.keyescrow.core.signature.KeyFingerprint.of(java.util.Base64.getDecoder()
                    .decode(publicKey));
        } catch (IllegalArgumentException e) {
            fingerprint = "not base64";
        }
        return "\npublic key " + publicKey + " (SHA-256 " + fingerprint + ")";
    }

    static String describe(JsonObject key) {
        StringBuilder out = new StringBuilder(key.getString("keyId", "?")).append('\n');
        JsonArray versions = key.getJsonArray("versions", new JsonArray());
        for (Object o : versions) {
            JsonObject v = (JsonObject) o;
            out.append("  v").append(v.getInteger("version")).append(' ').append(v.getString("algorithm")).append(' ')
                    .append(v.getInteger("threshold")).append("-of-").append(v.getInteger("shares")).append(' ')
                    .append(v.getString("state")).append(" KCV ").append(v.getString("kcv")).append('\n');
        }
        return out.toString();
    }
}
