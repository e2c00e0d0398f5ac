package dev.keyescrow.cli.client;

/** An API answered with an error (its RFC 9457 detail is in the message) or could not be reached. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status, or 0 if the server could not be reached. */
    public int status() {
        return status;
    }
}
