package dev.keyescrow.cli.cluster;

import dev.keyescrow.hsm.setup.TokenForm;
import dev.keyescrow.journal.files.PrivateFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The secrets a development cluster's start makes: each member's token (PIN or vault
 * passphrase, written only to a private file beside its configuration) and the operator token
 * (written only to {@code operator.token}, the coordinator's configuration holding its hash).
 */
final class MemberTokens {
    private final ClusterLayout layout;
    private final SecureRandom random;

    MemberTokens(ClusterLayout layout, SecureRandom random) {
        this.layout = layout;
        this.random = random;
    }

    /**
     * Gives every member its own token (a SoftHSM2 token with a fresh PIN, or a development
     * vault with a fresh passphrase) and returns each one's token settings; the token
     * environment of each member goes to {@code environments}.
     */
    Map<String, TokenForm> provision(List<String> ids, Optional<SoftHsm> softHsm,
            Map<String, Map<String, String>> environments) throws Exception {
        Map<String, TokenForm> tokens = new LinkedHashMap<>();
        for (String id : ids) {
            Path memberDir = layout.memberDir(id);
            PrivateFiles.createDirectories(memberDir);
            if (softHsm.isPresent()) {
                char[] pin = secretText(16);
                char[] soPin = secretText(16);
                writePrivate(memberDir.resolve("pin"), pin);
                Path conf = softHsm.get().initialize(memberDir, id, pin, soPin);
                java.util.Arrays.fill(pin, '\0');
                java.util.Arrays.fill(soPin, '\0');
                environments.put(id, SoftHsm.environment(conf));
                tokens.put(id, TokenForm.pkcs11(softHsm.get().library().toString(), id, "pin"));
            } else {
                char[] passphrase = secretText(24);
                writePrivate(memberDir.resolve("vault.pass"), passphrase);
                java.util.Arrays.fill(passphrase, '\0');
                environments.put(id, Map.of());
                tokens.put(id, TokenForm.software("vault.bcfks", "vault.pass"));
            }
        }
        return tokens;
    }

    /** A fresh operator token, written only to {@code operator.token}; returns its SHA-256 (hex) for the coordinator. */
    String newOperatorTokenHash() throws Exception {
        char[] operatorToken = secretText(32);
        writePrivate(layout.operatorToken(), operatorToken);
        byte[] tokenBytes = new byte[operatorToken.length];
        for (int i = 0; i < operatorToken.length; i++) {
            tokenBytes[i] = (byte) operatorToken[i];
        }
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tokenBytes));
        java.util.Arrays.fill(tokenBytes, (byte) 0);
        java.util.Arrays.fill(operatorToken, '\0');
        return hash;
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Random URL-safe text (PINs, passphrases, the operator token), as characters to wipe after use. */
    private char[] secretText(int bytes) {
        byte[] raw = randomBytes(bytes);
        byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(raw);
        char[] text = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            text[i] = (char) encoded[i];
        }
        java.util.Arrays.fill(raw, (byte) 0);
        java.util.Arrays.fill(encoded, (byte) 0);
        return text;
    }

    private static void writePrivate(Path file, char[] secret) throws IOException {
        byte[] bytes = new byte[secret.length];
        for (int i = 0; i < secret.length; i++) {
            bytes[i] = (byte) secret[i];
        }
        try {
            PrivateFiles.replace(file, bytes);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
