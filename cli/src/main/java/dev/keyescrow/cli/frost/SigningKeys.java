package dev.keyescrow.cli.frost;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import dev.keyescrow.core.integrity.KeyAlgorithm;
import dev.keyescrow.core.integrity.Kcv;
import dev.keyescrow.core.secret.SecretBytes;
import dev.keyescrow.core.signature.Ed25519;
import dev.keyescrow.hsm.InvalidPeerKeyException;
import dev.keyescrow.hsm.spec.ShareSender;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Makes a FROST Ed25519 signing key in one call: a fresh seed on this machine, imported by
 * trusted dealer ({@code POST /v1/keys/import} with {@code scheme: FROST}) under the
 * coordinator's key-import KEK, the seed zeroed right after. The group public key the
 * coordinator answers must be the seed's own public key: it is what every signature is later
 * verified against. Keeping this one call lets the dealer be replaced by a distributed key
 * generation without touching the callers.
 */
public final class SigningKeys {
    private SigningKeys() {
    }

    public static SigningKey create(CoordinatorClient coordinator, String name, int threshold, JsonArray custodians,
            SecureRandom random) throws ApiException, InvalidPeerKeyException {
        byte[] transport = Base64.getDecoder().decode(coordinator.coordinator().getString("transportPublicKey"));
        try (SecretBytes seed = Ed25519.generatePrivateKey(random)) {
            byte[] publicKey = Ed25519.publicKeyOf(seed);
            String envelope = Base64.getEncoder().encodeToString(
                    ShareSender.wrapForKeyImport(transport, name, KeyAlgorithm.ED25519, seed, random));
            JsonObject created = coordinator.importKey(name, KeyAlgorithm.ED25519.wireName(), "FROST", threshold,
                    custodians, envelope, Kcv.ofPublicKey(publicKey).hex());
            byte[] group = Base64.getDecoder().decode(created.getString("publicKey", ""));
            if (!"FROST".equals(created.getString("scheme")) || !Arrays.equals(group, publicKey)) {
                throw new IllegalStateException("the coordinator answered another key than the one imported: scheme "
                        + created.getString("scheme") + ", public key " + created.getString("publicKey"));
            }
            return new SigningKey(created.getString("keyId"), created.getInteger("version"), publicKey);
        }
    }
}
