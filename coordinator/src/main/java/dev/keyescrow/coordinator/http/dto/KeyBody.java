package dev.keyescrow.coordinator.http.dto;

import java.util.List;

/** {@code POST /v1/keys}: {@code {name, algorithm, threshold, custodians}}. */
public record KeyBody(String name, String algorithm, Integer threshold, List<String> custodians) {
}
