/**
 * Request bodies of the HTTP API, exactly as they arrive: strings and numbers that the API
 * checks field by field and maps explicitly to domain types (the core has no Jackson).
 */
package dev.keyescrow.coordinator.http.dto;
