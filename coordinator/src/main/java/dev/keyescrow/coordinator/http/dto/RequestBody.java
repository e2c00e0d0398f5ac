package dev.keyescrow.coordinator.http.dto;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code POST /v1/keys/{keyId}/requests}: {@code {operation, reason, ttlSeconds?, params, version?}}.
 * {@code params} stays a tree here: its members depend on the operation and are checked
 * exactly (no unknown member, no missing one) when mapped. {@code version} is optional
 * (an extension of the contract): by default the key's ACTIVE version.
 */
public record RequestBody(String operation, String reason, Long ttlSeconds, JsonNode params, Integer version) {
}
