package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/keys/{keyId}/versions/{v}/countersignatures}: {@code {custodianId, signature}}. */
public record CountersignatureBody(String custodianId, String signature) {
}
