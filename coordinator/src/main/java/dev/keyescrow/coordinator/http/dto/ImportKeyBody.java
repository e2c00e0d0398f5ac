package dev.keyescrow.coordinator.http.dto;

import java.util.List;

/**
 * {@code POST /v1/keys/import}: {@code {name, algorithm, threshold, custodians, envelope, kcv?, scheme?}} —
 * the key wrapped to the coordinator's transport key (base64 import envelope), and the KCV it
 * must have, and the scheme it is shared by ({@code SHAMIR}, the default, or {@code FROST}).
 */
public record ImportKeyBody(String name, String algorithm, Integer threshold, List<String> custodians,
                            String envelope, String kcv, String scheme) {
}
