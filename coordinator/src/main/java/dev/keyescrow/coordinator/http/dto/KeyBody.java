package dev.keyescrow.coordinator.http.dto;

import java.util.List;

/**
 * {@code POST /v1/keys}: {@code {name, algorithm, threshold, custodians, scheme}}; scheme
 * {@code SHAMIR} (the default) or {@code FROST} (ED25519, made by distributed key generation).
 */
public record KeyBody(String name, String algorithm, Integer threshold, List<String> custodians, String scheme) {
}
