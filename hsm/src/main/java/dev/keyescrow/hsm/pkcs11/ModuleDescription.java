package dev.keyescrow.hsm.pkcs11;

/** What a PKCS#11 module says about itself (C_GetInfo): public, for {@code GET /v1/node} and logs. */
public record ModuleDescription(String manufacturer, String library, String cryptokiVersion, String libraryVersion) {
}
