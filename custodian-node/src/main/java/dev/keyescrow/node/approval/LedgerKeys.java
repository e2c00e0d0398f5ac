package dev.keyescrow.node.approval;

/** How the ledger's maps name a key version ({@code keyId/version}) and a share ({@code keyId/version/index}). */
final class LedgerKeys {
    private LedgerKeys() {
    }

    static String version(String keyId, int version) {
        return keyId + "/" + version;
    }

    static String share(String keyId, int version, int index) {
        return keyId + "/" + version + "/" + index;
    }
}
