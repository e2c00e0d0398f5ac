package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/requests/{id}/decrypt}: {@code {ciphertext, aad?}} (base64). */
public record DecryptBody(String ciphertext, String aad) {
}
