package dev.keyescrow.bench;

import java.security.SecureRandom;

/** The three implementations a row compares; a JMH {@code @Param}. */
public enum Library {
    OURS("KeyEscrow core") {
        @Override
        Contender prepare(Shape shape, SecureRandom random, byte[][] chunks) {
            return new OursContender(shape, random, chunks);
        }
    },
    BOUNCY_CASTLE("Bouncy Castle 1.87") {
        @Override
        Contender prepare(Shape shape, SecureRandom random, byte[][] chunks) {
            return new BouncyCastleContender(shape, random, chunks);
        }
    },
    CODAHALE("codahale shamir 0.7.0") {
        @Override
        Contender prepare(Shape shape, SecureRandom random, byte[][] chunks) {
            return new CodahaleContender(shape, random, chunks);
        }
    };

    private final String label;

    Library(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Splits {@code chunks} once (for the combine benchmark) and checks the round trip. */
    abstract Contender prepare(Shape shape, SecureRandom random, byte[][] chunks);
}
