package dev.keyescrow.cli.frost;

import dev.keyescrow.cli.client.ApiException;
import dev.keyescrow.cli.client.CoordinatorClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;

/**
 * Makes a FROST Ed25519 signing key in one call, by distributed key generation among the
 * holders' nodes ({@code POST /v1/keys} with {@code scheme: FROST}): the group secret never
 * exists anywhere, not on this machine and not in the coordinator. The group public key is the
 * one the coordinator answers; the custodians' countersignatures (which check it against the
 * verification shares the nodes pinned) are what makes it trusted, not this call.
 */
public final class SigningKeys {
    private SigningKeys() {
    }

    public static SigningKey create(CoordinatorClient coordinator, String name, int threshold, JsonArray custodians)
            throws ApiException {
        JsonObject created = coordinator.createKey(name, "ED25519", threshold, custodians, "FROST");
        if (!"FROST".equals(created.getString("scheme"))) {
            throw new IllegalStateException("the coordinator answered a " + created.getString("scheme")
                    + " key to a request for a FROST key");
        }
        byte[] group = Base64.getDecoder().decode(created.getString("publicKey", ""));
        return new SigningKey(created.getString("keyId"), created.getInteger("version"), group);
    }
}
