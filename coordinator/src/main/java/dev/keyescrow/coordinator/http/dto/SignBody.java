package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/requests/{id}/sign}: {@code {message}} (base64). */
public record SignBody(String message) {
}
