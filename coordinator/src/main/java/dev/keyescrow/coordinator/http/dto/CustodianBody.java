package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/custodians}: {@code {id, publicKey, nodeId}} (publicKey: base64 of the raw 32-byte Ed25519 key). */
public record CustodianBody(String id, String publicKey, String nodeId) {
}
