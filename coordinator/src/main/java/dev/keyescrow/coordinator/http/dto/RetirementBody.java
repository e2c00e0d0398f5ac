package dev.keyescrow.coordinator.http.dto;

/** {@code POST /v1/custodians/{id}/retirement}: {@code {reason}}, one line kept in the journal. */
public record RetirementBody(String reason) {
}
