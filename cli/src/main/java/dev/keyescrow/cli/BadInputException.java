package dev.keyescrow.cli;

/** The user's input was refused: the command prints the message on stderr and exits 2. Never holds a secret. */
public final class BadInputException extends Exception {
    public BadInputException(String message) {
        super(message);
    }
}
