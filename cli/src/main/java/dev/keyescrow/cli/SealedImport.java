package dev.keyescrow.cli;

import dev.keyescrow.core.format.Identifiers;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The file {@code escrow key seal-import} writes on the offline machine and {@code escrow key
 * submit-import} sends: a key-import envelope (only ciphertext) and what it is bound to. The
 * envelope's KEK is derived from the coordinator's import key and the key id, algorithm and
 * length ({@code docs/spec/kdf.md}, purpose {@code key-import}), so editing {@code keyId} or
 * {@code algorithm}, or sending the file to another coordinator, makes the import fail to open;
 * the other fields are what people compare (the KCV) and where it may be sent (the import key's
 * fingerprint, checked before sending).
 */
record SealedImport(String keyId, KeyAlgorithm algorithm, String kcv, String importKeyFingerprint, byte[] envelope) {
    static final String FORMAT = "keyescrow-sealed-import-v1";
    private static final List<String> FIELDS = List.of("algorithm", "envelope", "format", "importKeyFingerprint",
            "kcv", "keyId");

    SealedImport {
        if (!Identifiers.isValid(keyId)) {
            throw new IllegalArgumentException("keyId must be a key id: [a-z0-9][a-z0-9-]{0,63}");
        }
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm is missing");
        }
        if (kcv == null || !kcv.matches("[0-9a-f]{6}")) {
            throw new IllegalArgumentException("kcv must be 6 lowercase hex digits");
        }
        if (importKeyFingerprint == null || !importKeyFingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("importKeyFingerprint must be 64 lowercase hex digits");
        }
        if (envelope == null || envelope.length < 66 + 40) {
            throw new IllegalArgumentException("envelope is too short to hold a wrapped 32-byte key");
        }
        envelope = envelope.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    /** The file's bytes: one JSON object, keys sorted, newline at the end. */
    byte[] encoded() {
        return (new JsonObject().put("algorithm", algorithm.wireName())
                .put("envelope", Base64.getEncoder().encodeToString(envelope)).put("format", FORMAT)
                .put("importKeyFingerprint", importKeyFingerprint).put("kcv", kcv).put("keyId", keyId).encode() + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Parses a sealed import file; the message names what is wrong. */
    static SealedImport parse(byte[] file) {
        JsonObject json;
        try {
            json = new JsonObject(new String(file, StandardCharsets.UTF_8));
        } catch (DecodeException | ClassCastException e) {
            throw new IllegalArgumentException("not a sealed import file (not a JSON object)");
        }
        if (!FORMAT.equals(json.getValue("format"))) {
            throw new IllegalArgumentException("not a sealed import file (format is not " + FORMAT + ")");
        }
        if (!json.fieldNames().stream().sorted().toList().equals(FIELDS)) {
            throw new IllegalArgumentException("a sealed import file has exactly the fields " + FIELDS);
        }
        try {
            return new SealedImport(json.getString("keyId"), KeyAlgorithm.fromWireName(json.getString("algorithm")),
                    json.getString("kcv"), json.getString("importKeyFingerprint"),
                    Base64.getDecoder().decode(json.getString("envelope")));
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("every field of a sealed import file is a string");
        }
    }
}
