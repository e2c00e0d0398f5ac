package dev.keyescrow.node.http.dto;

/** {@code POST /v1/requests/{id}/approvals}: {@code {custodianId, decision, signature}}. */
public record AnswerBody(String custodianId, String decision, String signature) {
}
