package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/requests/{id}/encrypt}: {@code {plaintext, aad?}} (base64). */
public record EncryptBody(String plaintext, String aad) {
    @Override
    public String toString() {
        return "EncryptBody[redacted]";
    }
}
