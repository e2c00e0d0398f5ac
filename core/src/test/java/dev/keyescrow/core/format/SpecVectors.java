package dev.keyescrow.core.format;

/** Vectors written in docs/spec; the spec and these constants must agree. */
final class SpecVectors {
    static final String SHARE_TEXT_1 = "kes1-3e02a119a296f012-02-03-01-"
            + "86148fcfc6026f9d7c0e497a0df87a78173a61fcae482d3f9ded4f52457c818a-5b712e1d";

    private SpecVectors() {
    }
}
