package dev.keyescrow.core.request;

/** Vectors written in docs/spec/request.md; the spec and these constants must agree. */
final class SpecRequestVectors {
    static final String USE_CANONICAL = "{\"createdAt\":\"2026-11-28T12:00:00Z\",\"ephemeralPublicKey\":\"BB8UAUa/sbJR+E9N2+DUzc/Xev2YSpUg41e"
            + "UAh+DErue7JlaCLH6dwTfPcwLUKlmUmP7dxH5X5+KRJxQluR8iSs=\",\"expiresAt\":\"2026-11-28T12:10:00Z\",\"for"
            + "mat\":\"keyescrow-request-v1\",\"keyId\":\"payments-key\",\"nonce\":\"oKGio6SlpqeoqaqrrK2urw==\",\"o"
            + "peration\":\"USE\",\"params\":{\"maxOperations\":10,\"sessionSeconds\":300},\"reason\":\"Quarterly settlement run\",\"requestId\":\"req-0001\",\"requester\":\"alice\",\"version\":1}";
    static final String USE_DIGEST = "f3ea15279483e062fdfce90c751c0c3ee5a9a4143c82294da0119fdd1abb5df4";
    static final String USE_COORDINATOR_SIGNATURE = "bfe67519de957e1174068ac71e3ad9f2beb98172b05f4e46bbba9e36b8fe91a3"
            + "047981dffc689d2063ea232cf014f00aed61e54cb62ffdf31b35899bcabb1793";
    static final String USE_APPROVAL_SIGNATURE = "e9a1580fa0fab456f33c1eadee8165d6fc7a33c691120cf6d8892d56a69c6352"
            + "56ba3eb2dafd0463153a7a86cb43e317c1a49f51337d00afcf8e6291d52aac00";

    static final String RESHARE_CANONICAL = "{\"createdAt\":\"2026-11-28T12:00:00Z\",\"ephemeralPublicKey\":\"BB8UAUa/sbJR+E9N2+DUzc/Xev2YSpUg41e"
            + "UAh+DErue7JlaCLH6dwTfPcwLUKlmUmP7dxH5X5+KRJxQluR8iSs=\",\"expiresAt\":\"2026-11-28T12:10:00Z\",\"for"
            + "mat\":\"keyescrow-request-v1\",\"keyId\":\"payments-key\",\"nonce\":\"oKGio6SlpqeoqaqrrK2urw==\",\"o"
            + "peration\":\"RESHARE\",\"params\":{\"holders\":[{\"custodianId\":\"custodian-1\",\"nodeId\":\"node-1\","
            + "\"publicKey\":\"rcFAEfgtHFbZVqpPnXPYhYNhpgYEhSXg0Ixjjcdd2Mc=\"},{\"custodianId\":\"custodian-2\","
            + "\"nodeId\":\"node-2\",\"publicKey\":\"iC0Oo7KGTnpYfz5pjOpEWZmDEuZV4F+l6LURnYuqyM0=\"}],\"threshold\":2},"
            + "\"reason\":\"A smaller team\",\"requestId\":\"req-0002\",\"requester\":\"alice\",\"version\":1}";
    static final String RESHARE_DIGEST = "c9474594210610e9f9b83acaba785ef32ed3a698efa89c52edaa5a5f1534b457";

    private SpecRequestVectors() {
    }
}
