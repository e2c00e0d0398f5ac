package dev.keyescrow.coordinator.http;

/** A body that is not {@code application/json}: answered 415, unlike the other refusals of a body (400). */
final class NotJsonException extends Exception {
    NotJsonException() {
        super("the body must be application/json");
    }
}
